-- Key expiry engine: the token of the claim that holds a row's lease (engine instance and claim number). A
-- claim whose answer was lost (the database went away after committing it) can then be retried by the same
-- engine at once, taking over exactly the leases that claim wrote, instead of the keys waiting out the whole
-- lease; every other claim still respects the lease.
alter table tenant_kv add column expiry_lease_token text null;
