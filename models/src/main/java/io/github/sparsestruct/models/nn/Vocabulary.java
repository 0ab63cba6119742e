package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable string ↔ index map. A vocabulary either has reserved entries (the first {@code reserved} items, for
 * instance padding, unknown and root; unknown strings map to {@link #unknownIndex()}) or is closed (labels: an
 * unknown string is an error). Entries carry their training counts, used for word dropout.
 */
public final class Vocabulary {
    /** Padding symbol (index 0 of open vocabularies). */
    public static final String PAD = "<pad>";
    /** Unknown symbol (index 1 of open vocabularies). */
    public static final String UNK = "<unk>";

    private final List<String> items;
    private final int[] counts;
    private final int reserved;
    private final Map<String, Integer> index;

    /**
     * @param items    the entries in index order
     * @param counts   their training counts (same length)
     * @param reserved how many leading entries are reserved symbols; 0 makes the vocabulary closed, otherwise entry 1
     *                 is the unknown symbol
     */
    public Vocabulary(List<String> items, int[] counts, int reserved) {
        if (items.size() != counts.length) {
            throw new IllegalArgumentException("vocabulary has " + items.size() + " items but " + counts.length
                    + " counts");
        }
        if (reserved == 1 || reserved > items.size()) {
            throw new IllegalArgumentException("an open vocabulary reserves at least padding and unknown; got "
                    + reserved + " reserved of " + items.size());
        }
        this.items = List.copyOf(items);
        this.counts = counts.clone();
        this.reserved = reserved;
        this.index = new HashMap<>();
        for (int i = 0; i < this.items.size(); i++) {
            if (index.put(this.items.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary item '" + this.items.get(i) + "' occurs twice");
            }
        }
    }

    /**
     * An open vocabulary: the reserved symbols, then every string counted at least {@code minCount} times, most
     * frequent first (ties in string order, so the result is deterministic).
     */
    public static Vocabulary open(Map<String, Integer> counts, int minCount, List<String> reservedSymbols) {
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !reservedSymbols.contains(e.getKey())) {
                kept.add(e);
            }
        }
        kept.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                : Integer.compare(b.getValue(), a.getValue()));
        List<String> items = new ArrayList<>(reservedSymbols);
        int[] c = new int[reservedSymbols.size() + kept.size()];
        for (Map.Entry<String, Integer> e : kept) {
            c[items.size()] = e.getValue();
            items.add(e.getKey());
        }
        return new Vocabulary(items, c, reservedSymbols.size());
    }

    /** A closed vocabulary of labels in the given order (counts 0). */
    public static Vocabulary closed(List<String> labels) {
        return new Vocabulary(labels, new int[labels.size()], 0);
    }

    /** Number of entries. */
    public int size() {
        return items.size();
    }

    /** The entry at an index. */
    public String get(int i) {
        return items.get(i);
    }

    /** All entries in index order (unmodifiable). */
    public List<String> items() {
        return Collections.unmodifiableList(items);
    }

    /** Training count of the entry at an index. */
    public int count(int i) {
        return counts[i];
    }

    /** Copy of the training counts in index order. */
    public int[] counts() {
        return counts.clone();
    }

    /** Number of reserved leading entries (0 for a closed vocabulary). */
    public int reserved() {
        return reserved;
    }

    /** Whether unknown strings map to the unknown symbol (rather than being an error). */
    public boolean isOpen() {
        return reserved > 0;
    }

    /** Index of the unknown symbol (1), or -1 for a closed vocabulary. */
    public int unknownIndex() {
        return reserved > 0 ? 1 : -1;
    }

    /** Whether the string is an entry. */
    public boolean contains(String s) {
        return index.containsKey(s);
    }

    /**
     * Index of a string: its entry, else the unknown symbol of an open vocabulary.
     *
     * @throws IllegalArgumentException for a string outside a closed vocabulary
     */
    public int indexOf(String s) {
        Integer i = index.get(s);
        if (i != null) {
            return i;
        }
        if (reserved > 0) {
            return 1;
        }
        throw new IllegalArgumentException("'" + s + "' is not one of the " + items.size() + " known labels "
                + (items.size() <= 60 ? items.toString() : ""));
    }

    /** The JSON form: {@code {"items": [...], "counts": [...], "reserved": k}}. */
    public String toJson() {
        return Json.write(new Stored(items, counts, reserved));
    }

    /** Reads the JSON form written by {@link #toJson()}. */
    public static Vocabulary fromJson(String json) {
        Stored s = Json.read(json, Stored.class);
        return new Vocabulary(s.items(), s.counts(), s.reserved());
    }

    record Stored(List<String> items, int[] counts, int reserved) {
    }
}
