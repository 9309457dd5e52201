package org.remcg.dynamics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrajectoryCsvTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsExact() throws Exception {
        Trajectory tr = SdeIntegrator.run(ModelSystems.doubleWell(2), SdeIntegrator.Scheme.EULER_MARUYAMA, null, 1e-3, 1000, 10, 1, true);
        Path f = dir.resolve("t.csv");
        TrajectoryCsv.write(f, tr);
        Trajectory back = TrajectoryCsv.read(f);
        assertEquals(2, back.dimension());
        assertArrayEquals(tr.times(), back.times());
        assertArrayEquals(tr.positions(), back.positions());
        assertArrayEquals(tr.drifts(), back.drifts());
    }

    @Test
    void numpyStyleWithoutDrift() throws Exception {
        Path f = dir.resolve("np.txt");
        Files.writeString(f, "# t x1 x2 x3\n0 1 2 3\n0.5 1.5 2.5 3.5\n");
        Trajectory tr = TrajectoryCsv.read(f);
        assertEquals(3, tr.dimension());
        assertFalse(tr.hasDrift());
        assertEquals(3.5, tr.positions()[5]);
    }

    @Test
    void badInputNamesFileAndLine() throws Exception {
        String[][] cases = {
            {"t,x1\n0,1\n0,2\n", ":3: time step 0"},
            {"t,x1\n0,1\n-1,2\n", ":3: time step -1"},
            {"t,x1\n0,1\n1,nan\n", ":3: 'nan' in column x1 is not a finite number"},
            {"t,x1,x2\n0,1,\n", ":2: missing value in column x2"},
            {"t,x1,x2\n0,1\n", ":2: expected 3 fields, got 2"},
            {"t,x1,a2\n0,1,2\n", "column 3 must be 'a1'"},
            {"x1,x2\n0,1\n", "first column must be 't'"},
            {"t,x1\n0,1\n", "at least 2 frames"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.csv");
            Files.writeString(f, c[0]);
            DataFormatException e = assertThrows(DataFormatException.class, () -> TrajectoryCsv.read(f));
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().startsWith(f.toString()), e.getMessage());
        }
    }
}
