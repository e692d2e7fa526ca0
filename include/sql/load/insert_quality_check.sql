-- one row per check and subject run for the day
INSERT INTO quality_checks (check_date, check_name, subject, observed, threshold, passed, message)
VALUES ($check_date, $check_name, $subject, $observed, $threshold, $passed, $message);
