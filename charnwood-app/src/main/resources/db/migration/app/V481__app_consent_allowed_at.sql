-- When a person last allowed an app, so the "Apps you have allowed" page can say since when it has had access.
alter table auth.authorization_consent add column allowed_at timestamptz not null default now();
