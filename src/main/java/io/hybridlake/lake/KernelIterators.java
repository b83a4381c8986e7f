package io.hybridlake.lake;

import io.delta.kernel.utils.CloseableIterator;
import java.util.Iterator;
import java.util.List;

/** Kernel's closeable iterators over what is already in memory (nothing to close). */
final class KernelIterators {
    private KernelIterators() {
    }

    static <T> CloseableIterator<T> of(List<T> items) {
        Iterator<T> it = items.iterator();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
