package io.templateworker.app.shell;

import static io.templateworker.app.shell.LuauObjects.await;
import static io.templateworker.app.shell.LuauObjects.one;
import static io.templateworker.app.shell.LuauObjects.string;
import static io.templateworker.app.shell.LuauObjects.tenant;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.WorkerPool;
import java.util.List;

/**
 * Upstream's worker and pool handles (UPSTREAM.md §9), wired: {@code ctx:GetPool()} gives the shell's pool;
 * {@code pool:GetWorkerFor(id)} the worker owning a tenant, {@code pool:AsWorkerLike()} the pool as one worker; a
 * worker handle has {@code ID}, {@code Kill}, {@code RunScript}, {@code DispatchEvent}, {@code DispatchEventNoWait},
 * {@code DropTenant}, {@code ReloadTemplates}; {@code #handle} is the number of workers.
 */
final class StaffHandles {
    private StaffHandles() {
    }

    static LuauTable pool(LuauState state, WorkerPool pool) {
        return new LuauObjects.Builder("WorkerPool")
                .method("GetWorkerFor", (L, a) -> one(worker(state, pool.workerFor(tenant(a, 0, "WorkerPool:GetWorkerFor")))))
                .method("AsWorkerLike", (L, a) -> one(worker(state, pool)))
                .len(pool::len)
                .build();
    }

    static LuauTable worker(LuauState state, WorkerLike worker) {
        return new LuauObjects.Builder("Worker")
                .method("ID", (L, a) -> one((double) worker.id()))
                .method("Kill", (L, a) -> {
                    worker.kill();
                    return LuauFunction.NONE;
                })
                .method("RunScript", (L, a) -> {
                    String fn = "Worker:RunScript";
                    TenantId id = tenant(a, 0, fn);
                    String name = string(a, 1, fn, "name");
                    String code = string(a, 2, fn, "code");
                    CreateEvent event = a.length > 3 && a[3] != null ? event(a, 3, fn) : CreateEvent.of("RunScript", KhronosValue.Null.INSTANCE);
                    return one(KhronosLuau.toLuau(await(state, L, worker.runScript(id, name, code, event))));
                })
                .method("DispatchEvent", (L, a) -> {
                    TenantId id = tenant(a, 0, "Worker:DispatchEvent");
                    CreateEvent event = event(a, 1, "Worker:DispatchEvent");
                    return one(KhronosLuau.toLuau(await(state, L, worker.dispatchEvent(id, event))));
                })
                .method("DispatchEventNoWait", (L, a) -> {
                    TenantId id = tenant(a, 0, "Worker:DispatchEventNoWait");
                    worker.dispatchEventNoWait(id, event(a, 1, "Worker:DispatchEventNoWait"));
                    return LuauFunction.NONE;
                })
                .method("DropTenant", (L, a) -> {
                    TenantId id = tenant(a, 0, "Worker:DropTenant");
                    await(state, L, worker.dropTenant(id));
                    return LuauFunction.NONE;
                })
                .method("ReloadTemplates", (L, a) -> {
                    TenantId id = tenant(a, 0, "Worker:ReloadTemplates");
                    String name = a.length > 1 && a[1] != null ? string(a, 1, "Worker:ReloadTemplates", "name") : null;
                    await(state, L, worker.reloadTemplates(id, name));
                    return LuauFunction.NONE;
                })
                .len(() -> Math.max(1, worker.len()))
                .build();
    }

    /** An event as {@code {name = "...", data = ..., author = "..."}}. */
    private static CreateEvent event(Object[] a, int i, String fn) {
        if (!(i < a.length && a[i] instanceof LuauTable t) || !(t.rawget(LuauString.of("name")) instanceof LuauString name)) {
            throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn
                    + "' (event: {name = \"...\", data = ..., author = \"...\"} expected)");
        }
        Object author = t.rawget(LuauString.of("author"));
        return new CreateEvent(name.toString(), author == null ? null : author.toString(),
                KhronosLuau.toKhronos(t.rawget(LuauString.of("data"))), List.of());
    }
}
