package org.remcg.io;

import static org.remcg.io.IoTesting.assertMessageContains;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the io tests that write files: a fresh directory for each test and writers into it; for a
 * reader's tests also the reading of broken content with that reader.
 */
abstract class FileTesting {

    @TempDir
    Path dir;

    /** File name and reader of {@link #failure}; null when the test reads no broken content. */
    private final String brokenName;
    private final IoTesting.Opener reader;

    FileTesting() {
        this(null, null);
    }

    /** Broken content is written to {@code brokenName} and read with {@code reader}. */
    FileTesting(String brokenName, IoTesting.Opener reader) {
        this.brokenName = brokenName;
        this.reader = reader;
    }

    /** Writes {@code content} as UTF-8 to {@code dir/name}. */
    Path write(String name, String content) throws IOException {
        return IoTesting.write(dir, name, content);
    }

    /** Writes {@code bytes} to {@code dir/name}. */
    Path write(String name, byte[] bytes) throws IOException {
        return IoTesting.write(dir, name, bytes);
    }

    /** The format error reading all frames of a file holding {@code content} must raise. */
    TrajectoryFormatException failure(String content) throws IOException {
        return IoTesting.readFailure(dir, brokenName, content, reader);
    }

    /** Reading a file holding {@code content} fails with a message containing each of {@code parts}; returns the failure. */
    TrajectoryFormatException assertFailure(String content, String... parts) throws IOException {
        TrajectoryFormatException e = failure(content);
        for (String part : parts) {
            assertMessageContains(e, part);
        }
        return e;
    }
}
