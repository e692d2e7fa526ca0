-- The day's check results ($check_date) are replaced whole: first deleted.
DELETE FROM quality_checks WHERE check_date = $check_date;
