-- one row per check and subject of the latest day checked
SELECT check_name, subject, round(observed, 3) AS observed, threshold, passed, message
FROM quality_checks
WHERE check_date = (SELECT max(check_date) FROM quality_checks)
ORDER BY passed, check_name, subject;
