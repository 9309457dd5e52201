package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** The terminal side of progress (the bar, drawn here into a list) and the time left in words. */
class ProgressDisplayTest {

    /** What a bar draws, one string per drawing. */
    static final class Drawn implements ProgressBarConsumer {
        final List<String> drawings = new CopyOnWriteArrayList<>();

        @Override
        public int getMaxRenderedLength() {
            return 120;
        }

        @Override
        public void accept(String s) {
            drawings.add(s);
        }

        @Override
        public void close() {
        }

        boolean shows(String... parts) {
            return drawings.stream().anyMatch(d -> List.of(parts).stream().allMatch(d::contains));
        }
    }

    @Test
    void aBarPerSimulationShowsStepsRateAndTimeLeft() {
        Drawn drawn = new Drawn();
        try (ProgressDisplay.Simulations bars = new ProgressDisplay.Simulations(drawn)) {
            bars.at(0, 400, 1000);
            bars.at(0, 1000, 1000);   // the end of simulation 0 closes its bar
            bars.at(1, 500, 2000);
            bars.name("validation");
            bars.at(1, 700, 700);
        }
        assertTrue(drawn.shows("sim 0", "1000/1000 steps", "steps/s"), drawn.drawings.toString());
        assertTrue(drawn.shows("sim 1", "500/2000 steps", "steps/s", " / "), drawn.drawings.toString());
        assertTrue(drawn.shows("validation", "700/700 steps"), drawn.drawings.toString());
    }

    @Test
    void durationsInWords() {
        assertEquals("0 s", ProgressDisplay.duration(0.2));
        assertEquals("59 s", ProgressDisplay.duration(59.4));
        assertEquals("3 min 05 s", ProgressDisplay.duration(185));
        assertEquals("2 h 07 min", ProgressDisplay.duration(2 * 3600 + 7 * 60 + 20));
        assertEquals("unknown time", ProgressDisplay.duration(Double.NaN));
    }
}
