package io.github.sparsestruct.models;

import io.github.sparsestruct.models.format.ModelFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The bundled models on the classpath, by task, language and variant, the way DKPro Core looks models up
 * ({@code language} + {@code modelVariant}). Every jar may list its models in {@value #CATALOG} (lines
 * {@code task TAB language TAB variant TAB resource}); a listed model whose resource is absent is not offered. The
 * default variant is {@value #DEFAULT_VARIANT} (the BiLSTM models); a second variant (say {@code accurate}) is added by
 * a jar that lists it, with no code change.
 */
public final class ModelCatalog {
    /** Where each jar lists its models. */
    public static final String CATALOG = "META-INF/sparsestruct/models.tsv";
    /** The variant used when none is asked for. */
    public static final String DEFAULT_VARIANT = "fast";
    /** The language used when none is asked for (the bundled models are English). */
    public static final String DEFAULT_LANGUAGE = "en";

    private static volatile List<Entry> entries;

    private ModelCatalog() {
    }

    /**
     * One bundled model.
     *
     * @param task     {@code ner}, {@code depparse} or {@code align}
     * @param language the primary language subtag, lower case ({@code en})
     * @param variant  the variant, lower case ({@code fast})
     * @param resource the classpath resource of the model file
     */
    public record Entry(String task, String language, String variant, String resource) {
        @Override
        public String toString() {
            return task + " " + language + "/" + variant;
        }
    }

    /** Every bundled model present on the classpath, in catalog order. */
    public static List<Entry> entries() {
        List<Entry> e = entries;
        if (e == null) {
            e = read();
            entries = e;
        }
        return e;
    }

    /**
     * The bundled model of a task for a language and variant.
     *
     * @param language a language tag ({@code en}, {@code en-US}); null or blank for {@value #DEFAULT_LANGUAGE}
     * @param variant  a variant; null or blank for {@value #DEFAULT_VARIANT}; when it is the default variant and the
     *                 language has exactly one model of the task (say a French–English aligner that needs
     *                 multilingual BERT), that model
     * @throws ModelFormatException naming the languages and variants that exist for the task
     */
    public static Entry find(String task, String language, String variant) throws ModelFormatException {
        String l = language(language);
        String v = variant == null || variant.isBlank() ? DEFAULT_VARIANT : variant.trim().toLowerCase(Locale.ROOT);
        TreeSet<String> offered = new TreeSet<>();
        List<Entry> ofLanguage = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.task().equals(task)) {
                if (e.language().equals(l) && e.variant().equals(v)) {
                    return e;
                }
                if (e.language().equals(l)) {
                    ofLanguage.add(e);
                }
                offered.add(e.language() + "/" + e.variant());
            }
        }
        if (v.equals(DEFAULT_VARIANT) && ofLanguage.size() == 1) {
            return ofLanguage.get(0);
        }
        throw new ModelFormatException("no bundled '" + task + "' model for language '" + l + "', variant '" + v
                + "'; bundled " + task + " models (language/variant): " + (offered.isEmpty() ? "none in this build"
                : String.join(", ", offered)) + "; or pass a model file of your own");
    }

    /** The primary subtag of a language tag, lower case ({@code en-US}, {@code en_GB} → {@code en}). */
    public static String language(String tag) {
        if (tag == null || tag.isBlank() || tag.trim().equalsIgnoreCase("x-unspecified")) {
            return DEFAULT_LANGUAGE;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        int dash = t.indexOf('-');
        return dash > 0 ? t.substring(0, dash) : t;
    }

    private static List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        try {
            Enumeration<URL> urls = ModelCatalog.class.getClassLoader().getResources(CATALOG);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    int no = 0;
                    while ((line = in.readLine()) != null) {
                        no++;
                        if (line.isBlank() || line.startsWith("#")) {
                            continue;
                        }
                        String[] f = line.split("\t");
                        if (f.length != 4) {
                            throw new IllegalStateException(url + ":" + no + ": a model catalog line has 4 "
                                    + "tab-separated fields (task, language, variant, resource)");
                        }
                        Entry e = new Entry(f[0].trim(), language(f[1]), f[2].trim().toLowerCase(Locale.ROOT),
                                f[3].trim());
                        if (ModelCatalog.class.getResource(e.resource()) != null) {
                            out.add(e);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model catalogs (" + CATALOG + ")", e);
        }
        return List.copyOf(out);
    }
}
