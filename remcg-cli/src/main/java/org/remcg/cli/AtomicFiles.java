package org.remcg.cli;

import java.io.IOException;
import java.nio.file.Path;

/** CLI shorthand for {@link org.remcg.io.AtomicFiles}. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, org.remcg.io.AtomicFiles.Writer writer) throws IOException {
        org.remcg.io.AtomicFiles.write(target, writer);
    }

    public static void writeString(Path target, String text) throws IOException {
        org.remcg.io.AtomicFiles.writeString(target, text);
    }
}
