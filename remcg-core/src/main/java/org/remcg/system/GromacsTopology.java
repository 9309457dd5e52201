package org.remcg.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.remcg.io.DataFormatException;

/**
 * The parts of a GROMACS topology ({@code .top} / {@code .itp}) that say which atoms the system
 * holds and what they weigh: {@code [ atomtypes ]} masses, {@code [ moleculetype ]} with its
 * {@code [ atoms ]}, and the {@code [ molecules ]} counts. Everything else (parameters, bonded
 * sections) is skipped.
 *
 * <p>The preprocessor handles {@code #include "file"} (looked up beside the including file, then in
 * the include path: {@code GMXLIB} entries, {@code $GMXDATA/top}, {@code /usr/share/gromacs/top},
 * {@code /usr/local/gromacs/share/gromacs/top}), {@code #define NAME [value]}, {@code #undef},
 * {@code #ifdef}, {@code #ifndef}, {@code #else} and {@code #endif}. Macros are not substituted
 * into data lines (masses never use them); {@code #if} expressions are refused. Comments start
 * with {@code ;} and a trailing backslash continues a line.
 *
 * <p>An atom's mass is the mass column of its {@code [ atoms ]} line when present, else the mass
 * of its atom type. Atom types are read in the column layouts GROMACS accepts (with or without
 * bonded type and atomic number), recognized by where the one-letter particle type sits.
 *
 * <p>Errors are {@link DataFormatException}s naming the file and line.
 */
public final class GromacsTopology {

    /** One {@code [ moleculetype ]}: its atoms in order with their residues, types and masses. */
    public record MoleculeType(String name, String[] atomNames, String[] residueNames, int[] residueNumbers, String[] atomTypes,
            double[] masses) {
        public int atoms() {
            return atomNames.length;
        }
    }

    /** One line of {@code [ molecules ]}. */
    public record Count(String name, int count) {
    }

    private static final int MAX_INCLUDE_DEPTH = 64;

    private final Path file;
    private final Map<String, MoleculeType> types;
    private final List<Count> molecules;
    private final Map<String, Double> atomTypeMasses;

    private GromacsTopology(Path file, Map<String, MoleculeType> types, List<Count> molecules, Map<String, Double> atomTypeMasses) {
        this.file = file;
        this.types = Collections.unmodifiableMap(types);
        this.molecules = List.copyOf(molecules);
        this.atomTypeMasses = Collections.unmodifiableMap(atomTypeMasses);
    }

    /** The directories searched for {@code #include} files after the including file's own directory. */
    public static List<Path> defaultIncludePath() {
        List<Path> dirs = new ArrayList<>();
        String lib = System.getenv("GMXLIB");
        if (lib != null) {
            for (String s : lib.split(java.io.File.pathSeparator)) {
                if (!s.isBlank()) {
                    dirs.add(Path.of(s));
                }
            }
        }
        String data = System.getenv("GMXDATA");
        if (data != null && !data.isBlank()) {
            dirs.add(Path.of(data, "top"));
        }
        dirs.add(Path.of("/usr/share/gromacs/top"));
        dirs.add(Path.of("/usr/local/gromacs/share/gromacs/top"));
        return dirs;
    }

    /** Reads a topology with the default include path and no predefined macros. */
    public static GromacsTopology read(Path file) throws IOException, DataFormatException {
        return read(file, defaultIncludePath(), Set.of());
    }

    /**
     * Reads a topology.
     *
     * @param includePath directories searched for included files (after the including file's directory)
     * @param defines     macros defined before reading (like {@code grompp -DNAME})
     */
    public static GromacsTopology read(Path file, List<Path> includePath, Set<String> defines) throws IOException, DataFormatException {
        Parser p = new Parser(includePath);
        for (String d : defines) {
            p.defines.put(d, "");
        }
        p.parse(file, 0);
        p.finishMolecule();
        if (!p.conditions.isEmpty()) {
            throw new DataFormatException(file, 0, "#ifdef/#ifndef without #endif");
        }
        return new GromacsTopology(file, p.types, p.molecules, p.atomTypes);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Molecule types by name, in order of definition. */
    public Map<String, MoleculeType> moleculeTypes() {
        return types;
    }

    /** The {@code [ molecules ]} lines in order. */
    public List<Count> molecules() {
        return molecules;
    }

    /** Mass of an atom type, or NaN when it is not defined. */
    public double atomTypeMass(String type) {
        Double m = atomTypeMasses.get(type);
        return m == null ? Double.NaN : m;
    }

    /** Atoms in the system ({@code [ molecules ]} expanded). */
    public int atoms() {
        long n = 0;
        for (Count c : molecules) {
            n += (long) c.count() * types.get(c.name()).atoms();
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": " + n + " atoms is more than remcg can hold");
        }
        return (int) n;
    }

    /** The molecules of the system, one per instance in {@code [ molecules ]} order. */
    public Molecules layout() {
        int total = 0;
        for (Count c : molecules) {
            total += c.count();
        }
        int[] start = new int[total + 1];
        String[] names = new String[total];
        int m = 0;
        int atom = 0;
        for (Count c : molecules) {
            int size = types.get(c.name()).atoms();
            for (int k = 0; k < c.count(); k++) {
                names[m] = c.name();
                start[m] = atom;
                atom += size;
                m++;
            }
        }
        start[total] = atom;
        return new Molecules(start, names);
    }

    /** Per-atom masses of the whole system, in amu. */
    public double[] masses() {
        double[] m = new double[atoms()];
        int a = 0;
        for (Count c : molecules) {
            double[] mm = types.get(c.name()).masses();
            for (int k = 0; k < c.count(); k++) {
                System.arraycopy(mm, 0, m, a, mm.length);
                a += mm.length;
            }
        }
        return m;
    }

    /**
     * The structure's atoms with this topology's masses, after checking that both list the same
     * atoms: equal counts, and equal names in order (a structure name of four or more characters
     * may be the start of a longer topology name, since GRO and PDB cut names at five and four).
     *
     * @param structureFile the structure's file, for messages
     * @throws IllegalArgumentException naming the first atom that differs, or both counts
     */
    public Topology apply(Topology structure, Path structureFile) {
        int n = atoms();
        if (structure.atoms() != n) {
            throw new IllegalArgumentException(file + " describes " + n + " atoms but " + structureFile + " has " + structure.atoms());
        }
        int a = 0;
        for (Count c : molecules) {
            MoleculeType t = types.get(c.name());
            for (int k = 0; k < c.count(); k++) {
                for (int j = 0; j < t.atoms(); j++, a++) {
                    String want = t.atomNames()[j];
                    String got = structure.atomName(a).strip();
                    if (!(got.equals(want) || (got.length() >= 4 && want.startsWith(got)))) {
                        throw new IllegalArgumentException(file + " and " + structureFile + " differ at atom " + (a + 1) + ": the topology has "
                                + want + " (atom " + (j + 1) + " of molecule " + c.name() + " " + (k + 1) + "), the structure "
                                + got + " (residue " + structure.residueName(a) + " " + structure.residueNumber(a) + ")");
                    }
                }
            }
        }
        return structure.withMasses(masses());
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        final List<Path> includePath;
        final Map<String, String> defines = new HashMap<>();
        /** Each open conditional: {enclosing block active, this branch active, #else seen}. */
        final Deque<boolean[]> conditions = new ArrayDeque<>();
        final Map<String, Double> atomTypes = new HashMap<>();
        final Map<String, MoleculeType> types = new LinkedHashMap<>();
        final List<Count> molecules = new ArrayList<>();
        String section = "";

        // molecule type being read
        String molName;
        Path molFile;
        long molLine;
        final List<String> atomNames = new ArrayList<>();
        final List<String> resNames = new ArrayList<>();
        final List<Integer> resNumbers = new ArrayList<>();
        final List<String> atomTypeNames = new ArrayList<>();
        final List<Double> masses = new ArrayList<>();

        Parser(List<Path> includePath) {
            this.includePath = includePath;
        }

        boolean active() {
            return conditions.isEmpty() || (conditions.peek()[0] && conditions.peek()[1]);
        }

        void parse(Path file, int depth) throws IOException, DataFormatException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (java.nio.charset.MalformedInputException e) {
                lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            }
            int openConditions = conditions.size();
            for (int i = 0; i < lines.size(); i++) {
                long lineNo = i + 1;
                String raw = lines.get(i);
                StringBuilder joined = null;
                while (raw.endsWith("\\") && i + 1 < lines.size()) {
                    if (joined == null) {
                        joined = new StringBuilder();
                    }
                    joined.append(raw, 0, raw.length() - 1).append(' ');
                    raw = lines.get(++i);
                }
                String line = joined == null ? raw : joined.append(raw).toString();
                int semi = line.indexOf(';');
                if (semi >= 0) {
                    line = line.substring(0, semi);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.charAt(0) == '#') {
                    directive(file, lineNo, line, depth);
                    continue;
                }
                if (!active()) {
                    continue;
                }
                if (line.charAt(0) == '[') {
                    int close = line.indexOf(']');
                    if (close < 0) {
                        throw new DataFormatException(file, lineNo, "section header without ']': " + line);
                    }
                    section = line.substring(1, close).strip().toLowerCase(Locale.ROOT);
                    if (section.equals("moleculetype")) {
                        finishMolecule();
                        molFile = file;
                        molLine = lineNo;
                    } else if (section.equals("system") || section.equals("molecules")) {
                        finishMolecule();
                    }
                    continue;
                }
                data(file, lineNo, line.split("\\s+"));
            }
            if (conditions.size() != openConditions) {
                throw new DataFormatException(file, lines.size(), "#ifdef/#ifndef opened in this file is not closed by #endif");
            }
        }

        void directive(Path file, long lineNo, String line, int depth) throws IOException, DataFormatException {
            String[] f = line.substring(1).strip().split("\\s+", 3);
            String d = f[0];
            switch (d) {
                case "ifdef", "ifndef" -> {
                    if (f.length < 2) {
                        throw new DataFormatException(file, lineNo, "#" + d + " needs a macro name");
                    }
                    boolean defined = defines.containsKey(f[1]);
                    conditions.push(new boolean[] {active(), d.equals("ifdef") == defined, false});
                }
                case "else" -> {
                    if (conditions.isEmpty() || conditions.peek()[2]) {
                        throw new DataFormatException(file, lineNo, "#else without #ifdef/#ifndef");
                    }
                    boolean[] c = conditions.peek();
                    c[1] = !c[1];
                    c[2] = true;
                }
                case "endif" -> {
                    if (conditions.isEmpty()) {
                        throw new DataFormatException(file, lineNo, "#endif without #ifdef/#ifndef");
                    }
                    conditions.pop();
                }
                case "define" -> {
                    if (active()) {
                        if (f.length < 2) {
                            throw new DataFormatException(file, lineNo, "#define needs a macro name");
                        }
                        defines.put(f[1], f.length > 2 ? f[2] : "");
                    }
                }
                case "undef" -> {
                    if (active() && f.length >= 2) {
                        defines.remove(f[1]);
                    }
                }
                case "include" -> {
                    if (active()) {
                        include(file, lineNo, line, depth);
                    }
                }
                default -> {
                    if (d.equals("if") || d.equals("elif") || active()) {
                        throw new DataFormatException(file, lineNo, "unsupported preprocessor directive #" + d
                                + " (remcg handles #include, #define, #undef, #ifdef, #ifndef, #else, #endif)");
                    }
                }
            }
        }

        void include(Path file, long lineNo, String line, int depth) throws IOException, DataFormatException {
            String rest = line.substring(1).strip().substring("include".length()).strip();
            if (rest.length() < 2 || !((rest.charAt(0) == '"' && rest.indexOf('"', 1) > 0) || (rest.charAt(0) == '<' && rest.indexOf('>') > 0))) {
                throw new DataFormatException(file, lineNo, "#include needs \"file\" or <file>, got: " + rest);
            }
            String name = rest.substring(1, rest.charAt(0) == '"' ? rest.indexOf('"', 1) : rest.indexOf('>'));
            if (depth >= MAX_INCLUDE_DEPTH) {
                throw new DataFormatException(file, lineNo, "#include nested more than " + MAX_INCLUDE_DEPTH + " deep (an include cycle?)");
            }
            List<Path> tried = new ArrayList<>();
            Path dir = file.toAbsolutePath().getParent();
            List<Path> candidates = new ArrayList<>();
            Path named = Path.of(name);
            if (named.isAbsolute()) {
                candidates.add(named);
            } else {
                candidates.add(dir.resolve(name));
                for (Path p : includePath) {
                    candidates.add(p.resolve(name));
                }
            }
            for (Path c : candidates) {
                tried.add(c);
                if (Files.isRegularFile(c)) {
                    try {
                        parse(c, depth + 1);
                    } catch (NoSuchFileException e) {
                        throw new DataFormatException(file, lineNo, "cannot read included file " + c);
                    }
                    return;
                }
            }
            throw new DataFormatException(file, lineNo, "included file \"" + name + "\" not found; looked for " + tried);
        }

        void data(Path file, long lineNo, String[] f) throws DataFormatException {
            switch (section) {
                case "atomtypes" -> atomType(file, lineNo, f);
                case "moleculetype" -> {
                    if (molName != null) {
                        throw new DataFormatException(file, lineNo, "a [ moleculetype ] has one line (name nrexcl); found a second");
                    }
                    if (types.containsKey(f[0])) {
                        throw new DataFormatException(file, lineNo, "molecule type " + f[0] + " is defined twice");
                    }
                    molName = f[0];
                }
                case "atoms" -> atom(file, lineNo, f);
                case "molecules" -> {
                    if (f.length < 2) {
                        throw new DataFormatException(file, lineNo, "[ molecules ] lines are: name count");
                    }
                    MoleculeType t = types.get(f[0]);
                    if (t == null) {
                        throw new DataFormatException(file, lineNo, "molecule type " + f[0] + " in [ molecules ] is not defined; defined: " + types.keySet());
                    }
                    int n;
                    try {
                        n = Integer.parseInt(f[1]);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, lineNo, "molecule count '" + f[1] + "' is not an integer");
                    }
                    if (n < 0) {
                        throw new DataFormatException(file, lineNo, "negative molecule count " + n);
                    }
                    molecules.add(new Count(f[0], n));
                }
                default -> {
                    // parameters, bonded terms, [ system ], [ defaults ]: not needed for masses
                }
            }
        }

        static boolean isParticleType(String s) {
            return s.length() == 1 && Character.isLetter(s.charAt(0));
        }

        void atomType(Path file, long lineNo, String[] f) throws DataFormatException {
            // name [bonded type] [atomic number] mass charge ptype params...; GROMACS finds the
            // layout from where the one-letter particle type stands
            int massCol;
            if (f.length > 5 && isParticleType(f[5])) {
                massCol = 3;
            } else if (f.length > 3 && isParticleType(f[3])) {
                massCol = 1;
            } else if (f.length > 4 && isParticleType(f[4])) {
                massCol = 2;
            } else {
                throw new DataFormatException(file, lineNo, "cannot read this [ atomtypes ] line (no one-letter particle type in column 4, 5 or 6)");
            }
            atomTypes.put(f[0], number(file, lineNo, f[massCol], "mass of atom type " + f[0]));
        }

        void atom(Path file, long lineNo, String[] f) throws DataFormatException {
            if (molName == null) {
                throw new DataFormatException(file, lineNo, "[ atoms ] outside a [ moleculetype ]");
            }
            if (f.length < 5) {
                throw new DataFormatException(file, lineNo, "[ atoms ] lines are: nr type resnr residue atom [cgnr charge mass]");
            }
            int nr;
            int resnr;
            try {
                nr = Integer.parseInt(f[0]);
                resnr = Integer.parseInt(f[2].replaceAll("[A-Za-z]+$", ""));
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, lineNo, "atom number and residue number must be integers");
            }
            if (nr != atomNames.size() + 1) {
                throw new DataFormatException(file, lineNo, "atoms of molecule " + molName + " must be numbered 1, 2, ... in order; expected "
                        + (atomNames.size() + 1) + ", got " + nr);
            }
            double mass;
            if (f.length > 7) {
                mass = number(file, lineNo, f[7], "mass of atom " + nr);
            } else {
                Double m = atomTypes.get(f[1]);
                if (m == null) {
                    throw new DataFormatException(file, lineNo, "atom " + nr + " of " + molName + " has no mass column and its type " + f[1]
                            + " is not in any [ atomtypes ]");
                }
                mass = m;
            }
            if (!(mass >= 0) || Double.isInfinite(mass)) {
                throw new DataFormatException(file, lineNo, "mass " + mass + " of atom " + nr + " is not a non-negative number");
            }
            atomNames.add(f[4]);
            resNames.add(f[3]);
            resNumbers.add(resnr);
            atomTypeNames.add(f[1]);
            masses.add(mass);
        }

        static double number(Path file, long lineNo, String s, String what) throws DataFormatException {
            try {
                double v = Double.parseDouble(s);
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new DataFormatException(file, lineNo, what + ": '" + s + "' is not a number");
        }

        void finishMolecule() throws DataFormatException {
            if (molName == null) {
                return;
            }
            if (atomNames.isEmpty()) {
                throw new DataFormatException(molFile, molLine, "molecule type " + molName + " has no [ atoms ]");
            }
            types.put(molName, new MoleculeType(molName, atomNames.toArray(new String[0]), resNames.toArray(new String[0]),
                    resNumbers.stream().mapToInt(Integer::intValue).toArray(), atomTypeNames.toArray(new String[0]),
                    masses.stream().mapToDouble(Double::doubleValue).toArray()));
            molName = null;
            atomNames.clear();
            resNames.clear();
            resNumbers.clear();
            atomTypeNames.clear();
            masses.clear();
        }
    }
}
