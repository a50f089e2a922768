-- The target-group rules of gennemgang-rules written as SQL for DuckDB, over the same CSV files.
-- The bench script substitutes __DIR__ and __AS_OF__. Readings: the model's defaults (stays outside the
-- EU/EØS count; Switzerland counts with the EU/EØS; more than 12 months; age under 60; awards from 2003).
COPY (
WITH
mem AS (SELECT code, "from"::DATE AS d_from, "to"::DATE AS d_to FROM read_csv('__DIR__/memberships.csv', header = true, all_varchar = true)),
sel AS (SELECT area_id FROM read_csv('__DIR__/selected.csv', header = true, all_varchar = true) WHERE selected = 'true'),
aa AS (SELECT area_id, address_id FROM read_csv('__DIR__/area_addresses.csv', header = true, all_varchar = true)),
pen AS (
  SELECT cpr FROM read_csv('__DIR__/pensions.csv', header = true, all_varchar = true)
  WHERE status = 'active' AND scheme = 'pl' AND awarded_on::DATE >= DATE '2003-01-01'),
per AS (
  SELECT cpr, birth_date::DATE AS bd FROM read_csv('__DIR__/persons.csv', header = true, all_varchar = true)
  WHERE status IN ('01', '03')),
res AS (
  SELECT cpr, arg_max(address_id, moved_in::DATE) AS address_id
  FROM read_csv('__DIR__/residences.csv', header = true, all_varchar = true)
  WHERE moved_in::DATE <= DATE '__AS_OF__' GROUP BY cpr),
mig AS (
  SELECT cpr, "date"::DATE AS d, direction, country, first_entry,
         lag(direction) OVER w AS prev_dir, lag("date"::DATE) OVER w AS prev_d
  FROM read_csv('__DIR__/migrations.csv', header = true, all_varchar = true)
  WHERE "date"::DATE <= DATE '__AS_OF__'
  WINDOW w AS (PARTITION BY cpr ORDER BY "date"::DATE)),
third AS (
  SELECT m.* FROM mig m
  WHERE m.country NOT IN ('DK', 'FO', 'GL')
    AND NOT EXISTS (SELECT 1 FROM mem WHERE mem.code = m.country AND mem.d_from <= m.d AND (mem.d_to IS NULL OR m.d <= mem.d_to))),
newc AS (
  SELECT DISTINCT cpr FROM third
  WHERE direction = 'in'
    AND ((prev_dir IS NULL AND first_entry = 'true')
      OR (prev_dir = 'out' AND d > prev_d + INTERVAL 12 MONTH))),
exm AS (SELECT DISTINCT cpr FROM read_csv('__DIR__/exemptions.csv', header = true, all_varchar = true))
SELECT pen.cpr
FROM pen
JOIN per USING (cpr)
JOIN res USING (cpr)
JOIN aa USING (address_id)
JOIN sel USING (area_id)
JOIN newc USING (cpr)
WHERE year(DATE '__AS_OF__') - year(bd)
      - CASE WHEN month(DATE '__AS_OF__') * 100 + day(DATE '__AS_OF__') < month(bd) * 100 + day(bd) THEN 1 ELSE 0 END < 60
  AND pen.cpr NOT IN (SELECT cpr FROM exm)
ORDER BY pen.cpr
) TO '__OUT__' (HEADER, DELIMITER ',');
