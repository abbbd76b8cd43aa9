-- An export since an instant lists what was deleted since in files of its own (the manifest's "deleted"): each line
-- a transaction Bundle of DELETE entries. Such a file's type is the type of the resources it lists.
alter table bulk_export_file add column deleted boolean not null default false;
