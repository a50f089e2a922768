-- The 2020 førtidspension income test (PL §§ 32 a-32 c, § 49) written independently in SQL, over the
-- synthetic population `gennemgang whatif --export` writes. Rates: bm.dk satser 2020 (the built-in table);
-- rounding K10 (basis down to 100, yearly to the nearest multiple of 12, halves down); minimum 1/40 raised.
-- Parameter: allowance_single (80300 built in; the what-if uses 100000).
CREATE OR REPLACE MACRO pension(household, own, partner, work, num, den, allowance_single) AS (
  WITH c AS (
    SELECT
      CASE WHEN household = 'single' THEN 229104 ELSE 194748 END AS full_rate,
      CASE WHEN household = 'single' THEN allowance_single ELSE 127400 END AS allowance,
      CASE household
        WHEN 'single' THEN 0
        WHEN 'partner_pensioner' THEN least(partner + work, 394800)
        ELSE least(greatest(partner + work - 254472, 0), 261000)
      END AS counted,
      CASE WHEN household = 'partner_pensioner' THEN 1500 ELSE 3000 END AS bp,
      CASE WHEN household = 'single' THEN 5724 ELSE 4872 END AS minimum
  ), b AS (
    SELECT full_rate, bp, minimum,
      greatest(own + counted - allowance, 0) // 100 * 100 AS basis
    FROM c
  ), p AS (
    SELECT minimum, greatest(full_rate - (2 * basis * bp + 10000) // 20000, 0) AS before_min FROM b
  ), q AS (
    SELECT CASE WHEN before_min > 0 AND before_min < minimum THEN minimum ELSE before_min END AS pension FROM p
  )
  SELECT 12 * ((2 * pension * num + 12 * den - 1) // (24 * den)) FROM q
);

SELECT
  count(*) AS pensioners,
  sum(pension(household, own_income, partner_income, partner_work_income, fraction_numerator, fraction_denominator, 80300)) AS total_base,
  sum(pension(household, own_income, partner_income, partner_work_income, fraction_numerator, fraction_denominator, 100000)) AS total_alternative
FROM read_csv('bench/data/population.csv', header = true);
