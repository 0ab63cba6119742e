package io.github.sparsestruct.models.testing;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.ModelCatalog;
import java.util.List;

/** What the class path of a test bundles, for tests that run only where a variant is present. */
public final class BundledVariants {
    private BundledVariants() {
    }

    /** Whether both accurate models (NER and parser, from {@code sparsestruct-encoder-bert}) are on the class path. */
    public static boolean accurate() {
        return ModelCatalog.entries().stream().filter(e -> e.variant().equals("accurate"))
                .map(ModelCatalog.Entry::task).toList().containsAll(List.of(BundledModels.NER, BundledModels.DEPPARSE));
    }
}
