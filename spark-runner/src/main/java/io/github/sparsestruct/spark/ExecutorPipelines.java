package io.github.sparsestruct.spark;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.uima.UIMAFramework;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import org.apache.uima.util.XMLInputSource;

/**
 * The analysis engines of an executor JVM: one per task thread and pipeline descriptor (an engine is not
 * thread-safe), built from the aggregate's XML descriptor that the driver ships. The models behind them are loaded
 * once per JVM and shared by every engine ({@code ModelRegistry}), so an executor loads each model once.
 */
final class ExecutorPipelines {
    private static final ThreadLocal<Map<String, AnalysisEngine>> ENGINES = ThreadLocal.withInitial(HashMap::new);

    private ExecutorPipelines() {
    }

    /** This thread's engine for a descriptor, built on first use. */
    static AnalysisEngine engine(String descriptorXml) throws Exception {
        Map<String, AnalysisEngine> m = ENGINES.get();
        AnalysisEngine e = m.get(descriptorXml);
        if (e == null) {
            AnalysisEngineDescription d = UIMAFramework.getXMLParser().parseAnalysisEngineDescription(
                    new XMLInputSource(new ByteArrayInputStream(descriptorXml.getBytes(StandardCharsets.UTF_8)), null));
            e = UIMAFramework.produceAnalysisEngine(d);
            m.put(descriptorXml, e);
        }
        return e;
    }
}
