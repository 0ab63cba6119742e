package io.github.sparsestruct.bert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, plain-Java transcription of Google's BERT {@code tokenization.py} (BasicTokenizer with
 * {@code do_lower_case=False}, then WordpieceTokenizer), applied inside each pre-tokenised token; the reference that
 * {@link WordPieceTokenizer} (HuggingFace tokenizers through DJL) is checked against.
 *
 * <p>Control characters follow Google: categories Cc and Cf (tab, newline and carriage return excepted) plus lone
 * surrogates (which cannot reach the Rust side as text). Whitespace: space, tab, newline, carriage return and the
 * categories Zs, Zl, Zp (Zl/Zp because Python's {@code str.split()} splits on them).
 */
final class ReferenceWordPiece {

    private final Map<String, Integer> ids = new HashMap<>();
    private final int unk;

    ReferenceWordPiece(List<String> vocab) {
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        unk = ids.get("[UNK]");
    }

    int[][] pieces(String[] tokens) {
        int[][] out = new int[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = pieces(tokens[i]);
        }
        return out;
    }

    int[] pieces(String token) {
        List<Integer> result = new ArrayList<>();
        for (String word : basic(token)) {
            wordPiece(word, result);
        }
        if (result.isEmpty()) {
            result.add(unk);
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    /** BasicTokenizer.tokenize for the cased model: clean, split CJK, split whitespace, split punctuation. */
    static List<String> basic(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            if (isWhitespace(cp)) {
                flush(word, words);
            } else if (isChinese(cp) || isPunctuation(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** WordpieceTokenizer.tokenize for one whitespace-free word. */
    private void wordPiece(String word, List<Integer> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > 100) {
            out.add(unk);
            return;
        }
        List<Integer> sub = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int end = cps.length;
            Integer found = null;
            while (start < end) {
                String s = new String(cps, start, end - start);
                if (start > 0) {
                    s = "##" + s;
                }
                found = ids.get(s);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                out.add(unk);
                return;
            }
            sub.add(found);
            start = end;
        }
        out.addAll(sub);
    }

    static boolean isWhitespace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE;
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
