package org.remcg.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files atomically: into a temporary file beside the target, then a rename, so a reader
 * never sees a half-written file and a crash leaves the old file in place.
 *
 * <p>Temporary files are named {@code .<target name>.<hex>.tmp} ({@link #userPath} maps such a
 * name back to the target, so messages can name the user's file) and are created the way any
 * new file is, with the mode the process umask gives (typically 0644), not the 0600 of
 * {@link Files#createTempFile}. Write failures without a path of their own (a full disk, an I/O
 * error) are rethrown as {@link FileSystemException}s naming the target.
 *
 * <p>A target that exists but is neither a regular file nor a directory (a device such as
 * {@code /dev/null}, a pipe, or a link to one) is written directly: renaming over it would
 * replace the device with a file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.[0-9a-f]{1,16}\\.tmp");

    public static void write(Path target, Writer writer) throws IOException {
        if (special(target)) {
            try (OutputStream out = new java.io.BufferedOutputStream(naming(Files.newOutputStream(target), target), 1 << 16)) {
                writer.write(out);
            }
            return;
        }
        Path tmp = createTemp(target);
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(naming(Files.newOutputStream(tmp), target), 1 << 16)) {
                writer.write(out);
            }
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** True if {@code target} exists and is neither a regular file nor a directory (a device, a pipe): written in place, never renamed over. */
    public static boolean special(Path target) {
        return Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target);
    }

    /**
     * Creates an empty temporary file {@code .<name>.<hex>.tmp} beside {@code target} (making the
     * directories above it), with the permissions a plain new file gets under the umask.
     */
    public static Path createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        while (true) {
            Path candidate = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                // taken: try another name
            }
        }
    }

    /** Moves a finished temporary file over the target (atomically where the file system allows it). */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file a temporary file of {@link #createTemp} stands for; any other path as it is. */
    public static Path userPath(Path p) {
        while (p.getFileName() != null) {
            Matcher m = TEMP.matcher(p.getFileName().toString());
            if (!m.matches()) {
                break;
            }
            p = p.resolveSibling(m.group(1));
        }
        return p;
    }

    /** The same as {@link #userPath(Path)} for a path given as text (as exceptions carry them). */
    public static String userPath(String p) {
        if (p == null) {
            return null;
        }
        try {
            return userPath(Path.of(p)).toString();
        } catch (java.nio.file.InvalidPathException e) {
            return p;
        }
    }

    /**
     * A stream that rethrows write failures without a path of their own (a full disk, a quota,
     * an I/O error) as a {@link FileSystemException} naming {@code target}. Meant to sit under a
     * buffer (as every caller has it): each call wraps one stream call in a small lambda.
     */
    public static OutputStream naming(OutputStream out, Path target) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                naming(() -> out.write(b), target);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                naming(() -> out.write(b, off, len), target);
            }

            @Override
            public void flush() throws IOException {
                naming(out::flush, target);
            }

            @Override
            public void close() throws IOException {
                naming(out::close, target);
            }
        };
    }

    /** One call on a stream. */
    private interface StreamCall {
        void run() throws IOException;
    }

    /** Runs {@code call}, rethrowing its failure {@link #named} after {@code target}. */
    private static void naming(StreamCall call, Path target) throws IOException {
        try {
            call.run();
        } catch (IOException e) {
            throw named(e, target);
        }
    }

    /** {@code e} itself if it names a file already, otherwise a {@link FileSystemException} on {@code target} with e's reason. */
    public static IOException named(IOException e, Path target) {
        if (e instanceof FileSystemException) {
            return e;
        }
        FileSystemException f = new FileSystemException(target.toString(), null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        f.initCause(e);
        return f;
    }
}
