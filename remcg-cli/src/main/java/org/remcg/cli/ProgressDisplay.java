package org.remcg.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.remcg.fit.EngineSampler;

/**
 * The progress of a long run, told in steps done: on a terminal a bar (steps, rate, elapsed and remaining time) on
 * standard error, cleared when the run ends; elsewhere one line at each tenth of the steps. The engine tells progress
 * between pieces of a run ({@link org.remcg.simulate.Engine#run(org.remcg.simulate.Integrator, long, int,
 * org.remcg.simulate.Engine.Observer, org.remcg.simulate.Engine.Progress)}), so none of this is in the step loop.
 */
final class ProgressDisplay implements AutoCloseable {
    private final String task;
    private final long total;
    private final ProgressBar bar;
    private final PrintWriter lines;
    private final long t0 = System.nanoTime();
    private int tenth;

    private ProgressDisplay(String task, long total, ProgressBar bar, PrintWriter lines) {
        this.task = task;
        this.total = total;
        this.bar = bar;
        this.lines = lines;
    }

    /** Whether standard input and output are a terminal (the JVM's own test: {@link System#console()}). */
    static boolean terminal() {
        return System.console() != null;
    }

    /** A bar for a run of {@code total} steps (to {@code consumer}, null: standard error). */
    static ProgressDisplay bar(String task, long total, ProgressBarConsumer consumer) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" steps", 1).showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS).clearDisplayOnFinish();
        if (consumer != null) {
            b.setConsumer(consumer);
        }
        return new ProgressDisplay(task, total, b.build(), null);
    }

    /** Lines to {@code out} at each tenth of a run of {@code total} steps (the last tenth is left to the caller's closing line). */
    static ProgressDisplay lines(String task, long total, PrintWriter out) {
        return new ProgressDisplay(task, total, null, out);
    }

    /** Shows nothing. */
    static ProgressDisplay none() {
        return new ProgressDisplay("", 0, null, null);
    }

    /** {@code done} of the run's steps are done. */
    void at(long done) {
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        if (lines == null || total <= 0) {
            return;
        }
        int t = (int) Math.min(10, 10 * done / total);
        if (t <= tenth) {
            return;
        }
        tenth = t;
        if (t >= 10) {
            return;
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        double rate = secs > 0 ? done / secs : Double.NaN;
        lines.printf(Locale.ROOT, "%s: %d %% (%d of %d steps), %.0f steps/s, %s left%n", task, 10 * t, done, total, rate,
                duration((total - done) / rate));
        lines.flush();
    }

    /** A time span in words: 42 s, 3 min 05 s, 2 h 07 min. */
    static String duration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "unknown time";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * A bar per simulation of a fit, on the terminal: opened when a simulation starts, closed (cleared) when it ends,
     * before the fit prints that simulation's line.
     */
    static final class Simulations implements EngineSampler.Progress, AutoCloseable {
        private final ProgressBarConsumer consumer;
        private ProgressDisplay current;
        private int sim = -1;
        private String name;

        Simulations(ProgressBarConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public void at(int sim, long done, long total) {
            if (current == null || sim != this.sim) {
                close();
                current = bar(name != null ? name : "sim " + sim, total, consumer);
                this.sim = sim;
            }
            current.at(done);
            if (done >= total) {
                close();
            }
        }

        /** Later runs' bars are labelled {@code name} (e.g. the validation run) instead of their simulation number. */
        void name(String name) {
            close();
            this.name = name;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
