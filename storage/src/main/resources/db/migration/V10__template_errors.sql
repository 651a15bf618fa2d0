-- Template errors kept durably (issue 10): the API's GET /guilds/{id}/logs shows them after a restart, and the
-- Discord error channel (a later issue) reads them. Bounded per tenant by the writer (latest 1000 kept).
create table template_errors (
    id          bigserial   primary key,
    owner_id    text        not null,
    owner_type  text        not null,
    template    text        null,                 -- null: outside any template (e.g. the VM could not be built)
    event       text        null,
    message     text        not null,
    traceback   text        null,
    created_at  timestamptz not null default now()
);
-- Reads and pruning go per tenant, newest first.
create index idx_template_errors_owner on template_errors (owner_id, owner_type, id desc);
