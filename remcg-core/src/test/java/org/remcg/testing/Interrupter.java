package org.remcg.testing;

/**
 * For tests of how parallel work answers an interrupt of the thread that waits for it: a thread
 * that waits until the work is under way, gives it a little more time, then interrupts the test's
 * thread. Interrupted itself, it ends without interrupting anyone.
 */
public final class Interrupter {

    /** Waits until the work under test has reached the state to interrupt. */
    @FunctionalInterface
    public interface Condition {
        void await() throws InterruptedException;
    }

    private Interrupter() {
    }

    /**
     * Starts a thread that runs {@code started}, sleeps {@code graceMillis}, then interrupts the
     * thread that called this method; the caller joins it when done.
     */
    public static Thread interruptCallerAfter(Condition started, long graceMillis) {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                started.await();
                Thread.sleep(graceMillis);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        return interrupter;
    }
}
