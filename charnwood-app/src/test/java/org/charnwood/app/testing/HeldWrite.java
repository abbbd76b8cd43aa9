package org.charnwood.app.testing;

import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Resource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A write through the repository whose transaction stays open until {@link #commit()}: a change stamped now that
 * commits later, as a large transaction bundle or import chunk does while other requests are answered.
 */
public final class HeldWrite implements AutoCloseable {

    private final CountDownLatch written = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Void> done;

    private HeldWrite(FhirRepository repository, Resource resource) {
        done = CompletableFuture.runAsync(() -> repository.inTransaction(s -> {
            s.update(resource.fhirType(), resource.getIdElement().getIdPart(), resource, null);
            written.countDown();
            await(release);
            return null;
        }));
    }

    /** Starts the write and returns once the resource is written, its transaction still open. */
    public static HeldWrite start(FhirRepository repository, Resource resource) {
        HeldWrite held = new HeldWrite(repository, resource);
        if (!await(held.written)) {
            held.done.join();
            throw new AssertionError("the held write did not start");
        }
        return held;
    }

    /** Lets the transaction commit and waits until it has. */
    public void commit() {
        release.countDown();
        done.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        release.countDown();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
