-- Session tokens are kept only as their SHA-256 hash (upstream stored them in clear, gap 26): a copy of the
-- table holds nothing a client could present. Existing tokens keep working: their hash is computed here.
alter table web_api_tokens add column token_hash bytea;
update web_api_tokens set token_hash = sha256(convert_to(token, 'UTF8'));
alter table web_api_tokens alter column token_hash set not null;
alter table web_api_tokens drop column token;
alter table web_api_tokens add constraint web_api_tokens_token_hash unique (token_hash);
alter table web_api_tokens add constraint web_api_tokens_token_hash_length check (octet_length(token_hash) = 32);
-- Sessions are listed per user, newest first.
drop index if exists idx_web_api_tokens_user;
create index idx_web_api_tokens_user on web_api_tokens (user_id, created_at desc);
