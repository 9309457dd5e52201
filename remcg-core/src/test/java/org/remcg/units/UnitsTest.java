package org.remcg.units;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class UnitsTest {

    /** The constants against the exact SI definitions, computed in decimal. */
    @Test
    void constantsFollowFromTheSiDefinitions() {
        BigDecimal na = new BigDecimal("6.02214076e23");
        BigDecimal e = new BigDecimal("1.602176634e-19");
        BigDecimal kb = new BigDecimal("1.380649e-23");
        BigDecimal r = kb.multiply(na); // J/mol/K
        assertEquals(new BigDecimal("8.31446261815324"), r.round(new MathContext(15)));
        // k_B in kJ/mol/K: R / 1000 to 8 significant digits
        assertEquals(r.divide(BigDecimal.valueOf(1000)).round(new MathContext(8)).doubleValue(), Units.KB, 0.0);
        assertEquals(na.doubleValue(), Units.AVOGADRO, 0.0);
        assertEquals(e.doubleValue(), Units.ELEMENTARY_CHARGE, 0.0);
        BigDecimal ev = e.multiply(na).divide(BigDecimal.valueOf(1000)); // kJ/mol
        assertEquals(ev.doubleValue(), Units.EV, 0.0);
        // the eV/Angstrom factor is one ulp above the correctly rounded value (kept: dump forces stay bit for bit)
        double evPerAngstrom = ev.multiply(BigDecimal.TEN).doubleValue();
        assertEquals(evPerAngstrom, Units.EV * Units.ANGSTROM_PER_NM, 0.0);
        assertEquals(Math.nextUp(evPerAngstrom), Units.EV_PER_ANGSTROM, 0.0);
        assertEquals(new BigDecimal("41.84").doubleValue(), Units.KCAL_PER_ANGSTROM, 0.0);
        assertEquals(100, Units.ANGSTROM_PER_FS, 0.0);
        assertEquals(0.1, 1 / Units.ANGSTROM_PER_NM, 0.0);
        assertEquals(1e-3, 1 / Units.FS_PER_PS, 0.0);
    }
}
