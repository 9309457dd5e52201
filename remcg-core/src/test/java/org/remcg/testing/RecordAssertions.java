package org.remcg.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Field-by-field comparison of records, so that a failure names the component (for example
 * {@code State.history[0].rho}): nested records and lists are compared element by element, arrays
 * by content, and numbers exactly (doubles by their bits, so NaN equals NaN and 0.0 differs from -0.0).
 */
public final class RecordAssertions {

    private RecordAssertions() {
    }

    /** Every component of {@code actual} is that of {@code expected}, recursively. */
    public static void assertSameComponents(Record expected, Record actual) {
        compare(expected, actual, expected.getClass().getSimpleName());
    }

    private static void compare(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
        } else if (expected instanceof Record r) {
            assertEquals(expected.getClass(), actual.getClass(), where);
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                compare(component(c, expected), component(c, actual), where + "." + c.getName());
            }
        } else if (expected instanceof List<?> list) {
            List<?> other = (List<?>) actual;
            assertEquals(list.size(), other.size(), where + ": size");
            for (int i = 0; i < list.size(); i++) {
                compare(list.get(i), other.get(i), where + "[" + i + "]");
            }
        } else if (expected instanceof double[] a) {
            assertArrayEquals(a, (double[]) actual, where);
        } else if (expected instanceof int[] a) {
            assertArrayEquals(a, (int[]) actual, where);
        } else if (expected instanceof long[] a) {
            assertArrayEquals(a, (long[]) actual, where);
        } else if (expected.getClass().isArray()) {
            assertArrayEquals((Object[]) expected, (Object[]) actual, where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static Object component(RecordComponent c, Object record) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("cannot read " + c.getName() + " of " + record.getClass().getName(), e);
        }
    }
}
