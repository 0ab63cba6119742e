package io.github.sparsestruct.corenlp.server;

import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.corenlp.InvalidPropertyException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pipelines, one per distinct set of properties, the most recently used {@value #PIPELINE_CACHE} kept;
 * CoreNLP's own annotator cache is cleared when it grows past {@value #CORENLP_CACHE_LIMIT} configurations.
 */
final class PipelineCache {
    private static final Logger LOG = LoggerFactory.getLogger(SafeServer.class);
    private static final int PIPELINE_CACHE = 16;
    /** CoreNLP's annotator cache grows with each distinct annotator configuration; cleared past this size. */
    private static final int CORENLP_CACHE_LIMIT = 512;

    private final Map<String, StanfordCoreNLP> pipelines = new LinkedHashMap<>(PIPELINE_CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StanfordCoreNLP> eldest) {
            return size() > PIPELINE_CACHE;
        }
    };

    /** The pipeline of a request; a property value our annotators refuse is HTTP 400 with their message. */
    StanfordCoreNLP forRequest(Properties props) throws HttpError {
        try {
            return pipeline(props);
        } catch (RuntimeException e) {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            if (ours != null) {
                throw new HttpError(400, ours.getMessage());
            }
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException && c.getMessage() != null) {
                    // CoreNLP's own checks, e.g. an annotator listed before those it requires
                    throw new HttpError(400, c.getMessage());
                }
            }
            LOG.error("cannot build a pipeline: {}", e.toString());
            throw new HttpError(500, "the pipeline could not be built (" + e.getClass().getSimpleName()
                    + "); see the server log");
        }
    }

    /** The pipeline of these properties, cached. */
    StanfordCoreNLP pipeline(Properties props) {
        String key = signature(props);
        synchronized (pipelines) {
            StanfordCoreNLP p = pipelines.get(key);
            if (p == null) {
                p = new StanfordCoreNLP(props);
                pipelines.put(key, p);
                if (StanfordCoreNLP.GLOBAL_ANNOTATOR_CACHE.size() > CORENLP_CACHE_LIMIT) {
                    StanfordCoreNLP.clearAnnotatorPool();
                }
            }
            return p;
        }
    }

    private static String signature(Properties props) {
        StringBuilder b = new StringBuilder();
        for (String k : new TreeSet<>(props.stringPropertyNames())) {
            b.append(k).append('=').append(props.getProperty(k)).append('\n');
        }
        return b.toString();
    }
}
