-- OAuth2 codes seen recently (UPSTREAM.md §4.4 step 3). Upstream kept them in one process's memory, so another
-- instance, or a restart, accepted a reuse (gap 26); a table is shared by every instance. Hashes only.
create table oauth2_used_codes (
    code_hash  bytea        primary key,
    used_at    timestamptz  not null default now()
);
create index idx_oauth2_used_codes_used_at on oauth2_used_codes (used_at);

-- The Discord refresh token and the access token's expiry, so a guild list can be fetched after the access
-- token expires (upstream used the stored access token with no refresh, gap 27).
alter table users add column refresh_token text null;
alter table users add column access_token_expires_at timestamptz null;
