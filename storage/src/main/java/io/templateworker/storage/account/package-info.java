/** Web API accounts over PostgreSQL: {@code users}, {@code web_api_tokens} (hashed tokens), {@code oauth2_used_codes}. */
package io.templateworker.storage.account;
