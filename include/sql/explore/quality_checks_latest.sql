-- one row per warehouse check of the latest check day, failures first
SELECT check_date, check_name, subject, observed, threshold, passed, message
FROM quality_checks
WHERE check_date = (SELECT max(check_date) FROM quality_checks)
ORDER BY passed, check_name, subject
