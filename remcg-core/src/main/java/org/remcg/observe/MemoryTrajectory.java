package org.remcg.observe;

import java.nio.file.Path;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.io.IndexedTrajectory;
import org.remcg.io.TrajectoryReader;

/**
 * Frames held in memory, served through the trajectory interfaces: for tests, benchmarks and
 * small generated ensembles. Readers copy each stored frame into the caller's frame (reusing its
 * arrays), exactly as file readers do.
 */
public final class MemoryTrajectory implements IndexedTrajectory {
    private final List<Frame> frames;
    private final Path name;

    /** @param frames the frames (kept by reference; do not modify them while reading) */
    public MemoryTrajectory(List<Frame> frames) {
        this.frames = List.copyOf(frames);
        this.name = Path.of("<memory>");
    }

    @Override
    public int frames() {
        return frames.size();
    }

    /** The frame number (there are no bytes). */
    @Override
    public long offset(int i) {
        return i;
    }

    /** A reader over all frames from the first. */
    public TrajectoryReader open() {
        return openAt(0);
    }

    @Override
    public TrajectoryReader openAt(int first) {
        if (first < 0 || first > frames.size()) {
            throw new IllegalArgumentException("frame " + first + " out of range 0.." + frames.size());
        }
        return new TrajectoryReader() {
            private int next = first;

            @Override
            public Path file() {
                return name;
            }

            @Override
            public int atoms() {
                return frames.isEmpty() ? 0 : frames.get(0).atoms;
            }

            @Override
            public boolean next(Frame f) {
                if (next >= frames.size()) {
                    return false;
                }
                Frame src = frames.get(next);
                f.resize(src.atoms, src.v != null, src.f != null);
                System.arraycopy(src.x, 0, f.x, 0, 3 * src.atoms);
                if (src.v != null) {
                    System.arraycopy(src.v, 0, f.v, 0, 3 * src.atoms);
                }
                if (src.f != null) {
                    System.arraycopy(src.f, 0, f.f, 0, 3 * src.atoms);
                }
                f.box = src.box;
                f.step = src.step;
                f.time = src.time;
                f.index = next;
                f.precision = src.precision;
                next++;
                return true;
            }

            @Override
            public boolean skip() {
                if (next >= frames.size()) {
                    return false;
                }
                next++;
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
