package org.remcg.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.remcg.io.AtomicFiles;
import org.remcg.io.DataFormatException;

/**
 * The resumable state of a fit by {@link IterativeRem}, written atomically as JSON after every simulation: the
 * loop's {@link IterativeRem.State}, the sampler's configuration to continue from, the parameters of every
 * simulation so far and the wall time spent, under a fingerprint of what determines the run. Non-finite numbers
 * are written as strings (JSON has no NaN). A file of another format version is refused, not guessed at.
 *
 * @param hash      fingerprint of the configuration and targets the run was started with
 * @param state     the loop's state after the last simulation
 * @param positions the sampler's configuration (3N, nm)
 * @param thetas    the parameters before every simulation, the start first
 * @param seconds   wall time of all processes of the run up to this checkpoint
 */
public record Checkpoint(String hash, IterativeRem.State state, double[] positions, List<double[]> thetas, double seconds) {

    /** Format tag of the files this version writes and reads. */
    public static final String FORMAT = "remcg-fit-checkpoint-4";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes c atomically. */
    public static void write(Path file, Checkpoint c) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("hash", c.hash());
        IterativeRem.State s = c.state();
        root.set("theta", array(s.theta()));
        root.set("base", s.base() == null ? null : array(s.base()));
        root.set("base_gradient", s.baseGradient() == null ? null : array(s.baseGradient()));
        root.set("base_hessian", s.baseHessian() == null ? null : array(s.baseHessian()));
        root.set("base_blocks", s.baseBlocks() == null ? null : array(s.baseBlocks()));
        root.set("predicted", number(s.predicted()));
        root.set("radius", number(s.radius()));
        root.put("simulations", s.simulations());
        root.put("retries", s.retries());
        root.put("stop", s.stop() == null ? null : s.stop().name());
        root.set("length", number(s.length()));
        root.set("base_frames", number(s.baseFrames()));
        root.put("drifting", s.drifting());
        ArrayNode hist = root.putArray("history");
        for (IterativeRem.Step st : s.history()) {
            ObjectNode h = hist.addObject();
            h.put("simulation", st.simulation());
            h.put("frames", st.frames());
            h.set("gradient_norm", number(st.gradientNorm()));
            h.set("noise", number(st.noise()));
            h.set("term_noise", array(st.termNoise()));
            h.set("measured_change", number(st.measuredChange()));
            h.set("measured_error", number(st.measuredError()));
            h.set("rho", number(st.rho()));
            h.put("verdict", st.verdict().name());
            h.set("radius", number(st.radius()));
            h.put("newton_steps", st.newtonSteps());
            h.set("predicted_change", number(st.predictedChange()));
            h.set("ess", number(st.ess()));
            h.put("note", st.note());
            h.set("length", number(st.length()));
            h.put("md_steps", st.mdSteps());
            ArrayNode w = h.putArray("worst");
            for (int i : st.worst()) {
                w.add(i);
            }
            h.set("worst_z", array(st.worstZ()));
        }
        root.set("positions", array(c.positions()));
        root.set("seconds", number(c.seconds()));
        ArrayNode th = root.putArray("thetas");
        for (double[] t : c.thetas()) {
            th.add(array(t));
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        AtomicFiles.write(file, o -> o.write(bytes));
    }

    /** Reads a checkpoint; a damaged file, another kind of file or another format version is a {@link DataFormatException}. */
    public static Checkpoint read(Path file) throws IOException, DataFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, 0, "damaged checkpoint (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.path("format").asText().startsWith("remcg-fit-checkpoint-")) {
            throw new DataFormatException(file, 0, "not a remcg fit checkpoint");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new DataFormatException(file, 0, "checkpoint format " + root.path("format").asText() + " was written by another remcg version (this one reads "
                    + FORMAT + "); start a new output.dir");
        }
        List<IterativeRem.Step> hist = new ArrayList<>();
        for (JsonNode h : root.get("history")) {
            hist.add(new IterativeRem.Step(h.get("simulation").asInt(), h.get("frames").asInt(), num(h.get("gradient_norm")), num(h.get("noise")),
                    doubles(h.get("term_noise")), num(h.get("measured_change")), num(h.get("measured_error")), num(h.get("rho")),
                    IterativeRem.Verdict.valueOf(h.get("verdict").asText()), num(h.get("radius")), h.get("newton_steps").asInt(),
                    num(h.get("predicted_change")), num(h.get("ess")), h.get("note").asText(), num(h.get("length")), h.get("md_steps").asLong(), ints(h.get("worst")), doubles(h.get("worst_z"))));
        }
        JsonNode stop = root.get("stop");
        IterativeRem.State s = new IterativeRem.State(doubles(root.get("theta")), optional(root, "base"), optional(root, "base_gradient"),
                optional(root, "base_hessian"), optional(root, "base_blocks"), num(root.get("predicted")), num(root.get("radius")), root.get("simulations").asInt(),
                root.get("retries").asInt(), hist, stop == null || stop.isNull() ? null : IterativeRem.Stop.valueOf(stop.asText()),
                num(root.get("length")), num(root.get("base_frames")), root.path("drifting").asBoolean(false));
        List<double[]> thetas = new ArrayList<>();
        for (JsonNode t : root.get("thetas")) {
            thetas.add(doubles(t));
        }
        JsonNode seconds = root.get("seconds");
        return new Checkpoint(root.get("hash").asText(), s, doubles(root.get("positions")), thetas, seconds == null ? 0 : num(seconds));
    }

    private static double[] optional(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : doubles(n);
    }

    /** A double as a JSON number, a non-finite one as a string (JSON has no NaN). */
    private static JsonNode number(double x) {
        return Double.isFinite(x) ? JSON.getNodeFactory().numberNode(x) : JSON.getNodeFactory().textNode(Double.toString(x));
    }

    /** Doubles as JSON numbers, non-finite ones as strings (JSON has no NaN). */
    private static ArrayNode array(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.add(Double.toString(x));
            }
        }
        return a;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = num(a.get(i));
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static double num(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }
}
