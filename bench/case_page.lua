-- wrk: random case pages among the first 5,000 cases.
math.randomseed(1)
request = function()
  return wrk.format("GET", "/sager/" .. math.random(1, 5000))
end
