-- Channel quotas an administrator set for a time range, kept on the rule so that days
-- materialised later get them too (NULL = the whole capacity).
ALTER TABLE opening_rules ADD COLUMN quota_web int CHECK (quota_web >= 0);
ALTER TABLE opening_rules ADD COLUMN quota_phone int CHECK (quota_phone >= 0);
ALTER TABLE opening_rules ADD COLUMN created_by text;
