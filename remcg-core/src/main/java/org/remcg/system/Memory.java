package org.remcg.system;

import java.util.Locale;

/** How much data a run may keep: at most half of the memory the Java heap may use. */
public final class Memory {
    /** Share of the Java heap one run's stored data may take. */
    public static final double HEAP_SHARE = 0.5;

    private Memory() {
    }

    /** Null if {@code bytes} fit in half of the Java heap, otherwise "would take about X of memory, more than half of the Y the Java heap may use". */
    public static String tooLarge(double bytes) {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes <= HEAP_SHARE * heap) {
            return null;
        }
        return "would take about " + size(bytes) + " of memory, more than half of the " + size(heap) + " the Java heap may use";
    }

    /** A size in MB or GB, three digits. */
    public static String size(double bytes) {
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.3g GB", bytes / 1e9);
        }
        return String.format(Locale.ROOT, "%.3g MB", bytes / 1e6);
    }
}
