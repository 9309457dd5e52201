package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.Topology;

/**
 * Atomic writes (temporary file + rename): the files they make get the permissions of any newly
 * created file (the umask's, not 0600), their temporary names map back to the user's file, and a
 * failure without a path of its own (a full disk) names the user's file.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    @Test
    void filesWrittenAtomicallyGetTheModeOfAPlainNewFile() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions needed");
        Path plain = dir.resolve("plain.txt");
        try (OutputStream o = Files.newOutputStream(plain)) {
            o.write('x');
        }
        Set<PosixFilePermission> expected = mode(plain);
        AtomicFiles.writeString(dir.resolve("model.yaml"), "temperature: 300\n");
        Topology top = new Topology(new String[] {"W"}, new String[] {"SOL"}, new int[] {1}, new double[] {18});
        Frame f = new Frame();
        f.resize(1, false, false);
        try (TrajectoryWriter w = Trajectories.openWriter(dir.resolve("final.gro"), top)) {
            w.write(f);
        }
        try (TrajectoryWriter w = Trajectories.openWriter(dir.resolve("cg.xyz"), top)) {
            w.write(f);
        }
        try (TrajectoryWriter w = Trajectories.openWriter(dir.resolve("cg.xtc"), top)) {
            w.write(f);
        }
        for (String name : List.of("model.yaml", "final.gro", "cg.xyz", "cg.xtc")) {
            assertEquals(PosixFilePermissions.toString(expected), PosixFilePermissions.toString(mode(dir.resolve(name))),
                    name + " must have the mode a plain new file gets under the umask");
        }
        // and the same when an existing file is replaced
        Files.setPosixFilePermissions(dir.resolve("model.yaml"), PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(dir.resolve("model.yaml"), "temperature: 310\n");
        assertEquals(PosixFilePermissions.toString(expected), PosixFilePermissions.toString(mode(dir.resolve("model.yaml"))));
    }

    @Test
    void temporaryNamesMapBackToTheUsersFile() throws Exception {
        Path target = dir.resolve("cg.xtc");
        Path tmp = AtomicFiles.createTemp(target);
        assertTrue(Files.exists(tmp) && tmp.getFileName().toString().startsWith(".cg.xtc."), tmp.toString());
        assertEquals(target, AtomicFiles.userPath(tmp));
        // a writer's own temporary file beside ours still names the user's file
        Path nested = AtomicFiles.createTemp(tmp);
        assertEquals(target, AtomicFiles.userPath(nested));
        assertEquals(target.toString(), AtomicFiles.userPath(nested.toString()));
        // the user's own files are left alone, hidden or not
        assertEquals(dir.resolve(".hidden.1.tmp.csv"), AtomicFiles.userPath(dir.resolve(".hidden.1.tmp.csv")));
        assertEquals(dir.resolve("data.1.tmp"), AtomicFiles.userPath(dir.resolve("data.1.tmp")));
    }

    @Test
    void aFullDiskNamesTheUsersFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("table.csv");
        Files.writeString(target, "old\n");
        // what a full disk does to a write: an IOException without a path
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.naming(full, target).write(new byte[10], 0, 10));
        assertEquals(target.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
        // the same failure inside an atomic write leaves the old file and no temporary file
        IOException w = assertThrows(IOException.class, () -> AtomicFiles.write(target, o -> {
            o.write(new byte[100]);
            AtomicFiles.naming(full, target).write(1);
        }));
        assertTrue(w instanceof FileSystemException fs && target.toString().equals(fs.getFile()), String.valueOf(w));
        assertEquals("old\n", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void devicesAreWrittenInPlaceNeverRenamedOver() throws Exception {
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "needs /dev/null");
        // a link to a device stands for the device itself (as /dev/null or /dev/stdout would, for a user allowed to write in /dev)
        Path link = Files.createSymbolicLink(dir.resolve("sink.csv"), devNull);
        AtomicFiles.writeString(link, "r,g\n");
        Topology top = new Topology(new String[] {"W"}, new String[] {"SOL"}, new int[] {1}, new double[] {18});
        Frame f = new Frame();
        f.resize(1, false, false);
        Path gro = Files.createSymbolicLink(dir.resolve("sink.gro"), devNull);
        Path xtc = Files.createSymbolicLink(dir.resolve("sink.xtc"), devNull);
        for (Path p : List.of(gro, xtc)) {
            try (TrajectoryWriter w = Trajectories.openWriter(p, top)) {
                w.write(f);
            }
        }
        for (Path p : List.of(link, gro, xtc)) {
            assertTrue(Files.isSymbolicLink(p), p + " is still the link to the device, not a file renamed over it");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary files");
        }
        for (Path p : List.of(link, gro, xtc)) {
            Files.delete(p);
        }
    }

    @Test
    void aFullDiskInAnAtomicWriteNamesTheFile() throws Exception {
        Path devFull = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(devFull), "needs /dev/full (Linux) to make a write fail with ENOSPC");
        Path target = Files.createSymbolicLink(dir.resolve("history.csv"), devFull);
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(target, "simulation,frames\n".repeat(10_000)));
        assertEquals(target.toString(), e.getFile());
        assertTrue(e.getReason().contains("No space left on device"), e.getReason());
        Files.delete(target);
    }

    @Test
    void aStreamingXtcOnAFullDiskNamesTheFile() throws Exception {
        Path devFull = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(devFull), "needs /dev/full (Linux) to make a write fail with ENOSPC");
        Path target = dir.resolve("traj.xtc");
        Files.createSymbolicLink(target, devFull);
        Frame f = new Frame();
        f.resize(20, false, false);
        XtcWriter w = XtcWriter.streaming(target);
        FileSystemException e = assertThrows(FileSystemException.class, () -> w.write(f));
        assertEquals(target.toString(), e.getFile());
        assertTrue(e.getReason().contains("No space left on device"), e.getReason());
        w.close();
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "no temporary file");
        }
        Files.delete(target);
    }
}
