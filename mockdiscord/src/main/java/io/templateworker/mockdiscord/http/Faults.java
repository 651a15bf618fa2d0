package io.templateworker.mockdiscord.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Error answers forced on demand ({@code POST /__mock/errors}): the next matching requests get a 5xx (or any status). */
public final class Faults {

    /**
     * @param method null for any method
     * @param route  a route template, or {@code *}
     */
    public record Fault(String method, String route, int count, int status) {
    }

    private final List<Fault> faults = new ArrayList<>();

    public synchronized void add(Fault f) {
        faults.add(f);
    }

    public synchronized void clear() {
        faults.clear();
    }

    /** The status to answer this request with, or 0 to serve it normally. */
    synchronized int take(String method, String route) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if ((f.method() == null || f.method().equalsIgnoreCase(method)) && (f.route().equals("*") || f.route().equals(route))) {
                it.remove();
                if (f.count() > 1) {
                    faults.add(new Fault(f.method(), f.route(), f.count() - 1, f.status()));
                }
                return f.status();
            }
        }
        return 0;
    }
}
