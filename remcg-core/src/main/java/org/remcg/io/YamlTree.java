package org.remcg.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict reading of YAML (or JSON) configuration trees: every error is a {@link DataFormatException}
 * naming the file and the key path ({@code engine.dt}, {@code interactions[2].beads}), syntax errors
 * also the line. Unknown keys are errors, so a typo never silently falls back to a default.
 */
public final class YamlTree {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;

    public YamlTree(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Parses the file; an empty file is an error mentioning {@code what} it should contain. */
    public JsonNode read(String what) throws IOException, DataFormatException {
        JsonNode root = readTree(YAML, file, "YAML");
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new DataFormatException(file, 0, "the file is empty; it needs " + what);
        }
        return root;
    }

    /**
     * Parses a YAML or JSON file with {@code mapper}; a syntax error is a {@link DataFormatException}
     * naming the file and the line, in one line and without the parser's internal wording.
     *
     * @param format "YAML", "JSON" or "YAML/JSON", for the message
     */
    public static JsonNode readTree(ObjectMapper mapper, Path file, String format) throws IOException, DataFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, format, e);
        } catch (IOException e) {
            throw AtomicFiles.named(e, file);
        }
    }

    private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):$");

    /** A parser's complaint as one plain line: "not valid YAML: line L, column C: problem (context)". */
    static DataFormatException syntaxError(Path file, String format, JsonProcessingException e) {
        String text = String.valueOf(e.getOriginalMessage());
        JsonLocation loc = e.getLocation();
        long line = loc == null ? 0 : loc.getLineNr();
        long column = loc == null ? 0 : loc.getColumnNr();
        // snakeyaml: [context, " in 'reader', line L, column C:", echo, caret,] problem, " in 'reader', line L, column C:", echo, caret
        List<String> parts = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARK.matcher(lines[i]);
            if (m.matches()) {
                line = Long.parseLong(m.group(1));
                column = Long.parseLong(m.group(2));
                i += 2; // the echoed line and the caret under it
            } else if (!lines[i].isBlank()) {
                parts.add(lines[i].strip());
            }
        }
        String problem = parts.isEmpty() ? "cannot be parsed" : plain(parts.get(parts.size() - 1));
        String context = parts.size() > 1 ? plain(parts.get(0)) : "";
        if (text.contains("CharConversionException") || text.contains("Invalid UTF-8")) {
            problem = "not UTF-8 text (" + problem + ")";
        }
        return new DataFormatException(file, line, "not valid " + format + (column > 0 ? " (column " + column + ")" : "") + ": " + problem
                + (context.isEmpty() ? "" : " (" + context + ")"));
    }

    /** The parser's terms in the words of someone editing the file. */
    private static String plain(String s) {
        String t = s.replaceAll("^(?:\\w+\\.)+\\w*(?:Exception|Error): ", "");
        if (t.startsWith("expected <block end>")) {
            return "the indentation does not fit the lines above (or a stray character)";
        }
        if (t.equals("mapping values are not allowed here")) {
            return "unexpected ':' (check the indentation, and quote values that contain ': ')";
        }
        if (t.contains("'\\t(TAB)' that cannot start any token")) {
            return "a tab character: YAML indents with spaces only";
        }
        Matcher m = Pattern.compile("found character '(.)' that cannot start any token.*").matcher(t);
        if (m.matches()) {
            return "a value cannot start with '" + m.group(1) + "' (quote it)";
        }
        Matcher d = Pattern.compile("Duplicate field '(.*)'").matcher(t);
        if (d.matches()) {
            return "the key '" + d.group(1) + "' is given twice";
        }
        if (t.equals("could not find expected ':'")) {
            return "a key without ':' (or a line that continues the one above)";
        }
        return t.replace("while parsing a flow sequence", "in a [...] list").replace("while parsing a flow mapping", "in a {...} map")
                .replace("while parsing a block mapping", "in a map").replace("while parsing a block collection", "in a list")
                .replace("while scanning a quoted scalar", "in a quoted value").replace("while scanning a simple key", "in a key")
                .replace("while scanning for the next token", "").replace("while parsing a block node", "")
                .replace("<stream end>", "the end of the file").replace("found unexpected end of stream", "the file ends too early")
                .replace("<block end>", "the end of the block").replace("'<block mapping start>'", "a new key")
                .replace("<block mapping start>", "a new key").replace("'<block sequence start>'", "a list item")
                .replace("<block sequence start>", "a list item").replace("<scalar>", "a value").replace("'?'", "a key")
                .replace("Unexpected end-of-input", "the file ends too early").strip();
    }

    public DataFormatException error(String path, String problem) {
        return new DataFormatException(file, 0, path + ": " + problem);
    }

    /** Checks that node is a map whose keys are all in allowed. */
    public void keys(JsonNode node, String path, Set<String> allowed) throws DataFormatException {
        if (node == null || !node.isObject()) {
            throw error(path.isEmpty() ? "top level" : path, "must be a map with keys " + String.join(", ", allowed.stream().sorted().toList()));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                throw error(path.isEmpty() ? k : path + "." + k,
                        "unknown key '" + k + "'; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** A name: a string, or a number YAML read as one (quoting is the user's way out). */
    public String text(JsonNode n, String path) throws DataFormatException {
        if (n == null || n.isNull()) {
            throw error(path, "missing");
        }
        if (n.isTextual() || n.isIntegralNumber()) {
            return n.asText();
        }
        throw error(path, "must be a name (quote it if YAML reads it as something else), got " + n);
    }

    public double number(JsonNode n, String path) throws DataFormatException {
        if (n == null || n.isNull()) {
            throw error(path, "missing");
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw error(path, "must be a finite number, got " + n);
        }
        return n.asDouble();
    }

    public double number(JsonNode parent, String key, String path, double fallback) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        return n == null || n.isNull() ? fallback : number(n, join(path, key));
    }

    /** A positive number (strictly greater than zero); with a NaN fallback the key is required. */
    public double positive(JsonNode parent, String key, String path, double fallback) throws DataFormatException {
        double v = number(parent, key, path, fallback);
        if (Double.isNaN(v) && Double.isNaN(fallback)) {
            throw error(join(path, key), "missing");
        }
        if (!(v > 0)) {
            throw error(join(path, key), "must be positive, got " + v);
        }
        return v;
    }

    /** A required positive number; its absence is reported as missing, with the unit expected. */
    public double requiredPositive(JsonNode parent, String key, String path, String unit) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            throw error(join(path, key), "missing (" + unit + ")");
        }
        return positive(parent, key, path, Double.NaN);
    }

    public long integer(JsonNode parent, String key, String path, long fallback, long min, long max) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber()) {
            throw error(join(path, key), "must be a whole number, got " + n);
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw error(join(path, key), "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(JsonNode parent, String key, String path, boolean fallback) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(join(path, key), "must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** A file path relative to the configuration file's directory; null when absent. */
    public Path path(JsonNode parent, String key, String path) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        Path p = Path.of(text(n, join(path, key)));
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    public static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
