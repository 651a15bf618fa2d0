-- Key expiry engine (storage.expiry): a claimed expiry carries a lease. While the lease runs no other engine
-- may claim the row; a crash mid-dispatch therefore leads to exactly one more delivery once it ends.
-- 'infinity' parks a key whose dispatch failed too often: it is kept (with its value) but no longer fired
-- until its expiry is set again.
alter table tenant_kv add column expiry_lease_until timestamptz null;

-- Global KV purchases: who bought which priced entry (upstream only had an in-memory stub, gap 8).
create table global_kv_purchases (
    key           text        not null,
    version       int         not null,
    scope         text        not null,
    buyer_id      text        not null,
    buyer_type    text        not null,
    purchased_at  timestamptz not null default now(),
    primary key (key, version, scope, buyer_id, buyer_type),
    foreign key (key, version, scope) references global_kv (key, version, scope) on delete cascade
);

-- Owner-scoped global KV deletes and listings by owner.
create index idx_global_kv_owner on global_kv (owner_id, owner_type);
-- Templates are listed per tenant; the identity index (owner_id, owner_type, name) already serves that.
