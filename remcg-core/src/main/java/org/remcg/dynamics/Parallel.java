package org.remcg.dynamics;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Small helpers for running independent, index-numbered tasks on a few threads. */
final class Parallel {
    private Parallel() {
    }

    static int threads() {
        return org.remcg.system.Cpus.available();
    }

    static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Runs task(i) for i in [0, n) on up to threads threads; each index writes only its own results. */
    static void forEach(int n, int threads, IntConsumer task) {
        int nt = Math.max(1, Math.min(threads, n));
        if (nt == 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(nt, r -> {
            Thread th = new Thread(r, "remcg-dyn");
            th.setDaemon(true);
            return th;
        });
        try {
            Future<?>[] fs = new Future[n];
            for (int i = 0; i < n; i++) {
                final int k = i;
                fs[i] = pool.submit(() -> task.accept(k));
            }
            for (Future<?> f : fs) {
                get(f);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
