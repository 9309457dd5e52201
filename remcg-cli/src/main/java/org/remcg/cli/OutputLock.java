package org.remcg.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One fit at a time per output directory: an operating-system lock on the file {@value #FILE} in the directory.
 * The lock is taken at once when the directory exists, else by {@link #hold()} right after the fit creates it
 * (bad input leaves no directory behind), and released by {@link #close()}. The operating system releases it when the
 * process ends however it ends, so a lock file left by a killed fit blocks nobody; the file itself stays (it holds
 * the last holder's process id, for the message).
 */
final class OutputLock implements AutoCloseable {
    static final String FILE = ".remcg.lock";

    private final Path dir;
    private FileChannel channel;
    private FileLock lock;

    /** Locks {@code dir} now if it exists; refuses (exit 2) if another fit holds it. */
    OutputLock(Path dir) throws IOException {
        this.dir = dir;
        if (Files.isDirectory(dir)) {
            hold();
        }
    }

    /** Takes the lock if not yet held; the directory must exist. Refuses (exit 2) if another fit holds it. */
    void hold() throws IOException {
        if (lock != null) {
            return;
        }
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new Main.BadInputException(dir + ": cannot write to the output directory"
                    + (e instanceof AccessDeniedException ? " (permission denied)" : e.getReason() != null ? " (" + e.getReason() + ")" : ""));
        }
        FileLock l = null;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this process (another fit in the same JVM)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw new Main.BadInputException(dir + ": another fit" + holder + " is writing to this output directory (it holds " + file
                    + "); wait for it to end or choose another output.dir");
        }
        channel = ch;
        lock = l;
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // the process id is only for the message of a refused fit
        }
    }

    /** " (process N)" from the lock file, or "" when it does not say. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("\\d{1,19}") ? " (process " + s + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                lock.release();
            } finally {
                channel.close();
                channel = null;
                lock = null;
            }
        }
    }
}
