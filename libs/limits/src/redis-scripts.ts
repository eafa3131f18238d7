import { inFlightRetryMs } from './counter-plan';

/**
 * The Lua scripts of the Redis limiter. Each counter is a hash (`_total`, budgets' `_pending`,
 * and one field per reservation holding its amount) plus a sorted set of the same reservations
 * scored by expiry. Redis runs a script atomically, so one acquire checks and reserves every
 * counter at once, and every replica of the policy service shares the same counters. Time comes
 * from the Redis server (TIME), so replicas with skewed clocks agree on the windows.
 */

/** Kind codes shared with the scripts. */
export const kindCode = { sliding_window: 1, lease: 2, budget: 3 } as const;

const prune = `
-- Removes a counter's entries whose time is up, updating c.total / c.pending (written back by
-- the caller). \`_next\` in the hash is a lower bound of the earliest entry's expiry: while it
-- lies ahead nothing can have expired, and the sorted set is not read at all. Afterwards c.next
-- is the earliest remaining expiry, or nil when the counter holds no entry.
local function prune(c, now)
  if c.next ~= nil and c.next > now then return end
  local first = redis.call('ZRANGE', c.z, 0, 0, 'WITHSCORES')
  if #first == 0 then c.next = nil return end
  c.next = tonumber(first[2])
  if c.next > now then return end
  local expired = redis.call('ZRANGEBYSCORE', c.z, '-inf', now)
  local count = #expired
  local freed = 0
  for from = 1, count, 500 do
    local to = math.min(from + 499, count)
    local batch = {}
    for i = from, to do batch[#batch + 1] = expired[i] end
    local amounts = redis.call('HMGET', c.h, unpack(batch))
    for i = 1, #amounts do freed = freed + (tonumber(amounts[i]) or 0) end
    redis.call('HDEL', c.h, unpack(batch))
  end
  redis.call('ZREMRANGEBYSCORE', c.z, '-inf', now)
  -- Windows and slots give their amount back; an unsettled budget reservation stays charged at
  -- its worst case (money errs on the safe side).
  if c.kind == 3 then c.pending = c.pending - freed else c.total = c.total - freed end
  c.dirty = true
  first = redis.call('ZRANGE', c.z, 0, 0, 'WITHSCORES')
  c.next = #first == 2 and tonumber(first[2]) or nil
end
`;

/**
 * KEYS: per check, its hash and its sorted set.
 * ARGV: reservation id, lease ms, window ms, check count, then per check: kind, limit, amount,
 * ms until the budget period ends (0 otherwise), key TTL ms, 1 when every entry counts 1.
 * Returns: admitted (0/1), then per check: used, reset ms, retry-after ms.
 *
 * Besides the reservations' fields, a counter's hash holds `_total`, `_pending` (budgets),
 * `_next` (see prune) and `_exp`, when the counter's keys expire: their TTL is only pushed
 * out (with some slack) once it no longer covers an entry added now, not on every acquire. The
 * settle script drops `_exp` when it empties a sorted set, since Redis then deletes that key
 * and the next ZADD recreates it without a TTL. Each hash write is one HSET of all its fields.
 */
export const acquireScript = `${prune}
local function fmt(n) return string.format('%d', n) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local lease = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local checks = {}
local admitted = 1
for i = 1, n do
  local base = 4 + (i - 1) * 6
  local c = {
    kind = tonumber(ARGV[base + 1]), limit = tonumber(ARGV[base + 2]),
    amount = tonumber(ARGV[base + 3]), periodReset = tonumber(ARGV[base + 4]),
    keyTtl = tonumber(ARGV[base + 5]), unit = ARGV[base + 6] == '1',
    h = KEYS[2 * i - 1], z = KEYS[2 * i], dirty = false
  }
  local state = redis.call('HMGET', c.h, '_total', '_pending', '_next', '_exp')
  c.total = tonumber(state[1]) or 0
  c.pending = tonumber(state[2]) or 0
  c.next = tonumber(state[3])
  c.storedNext = c.next
  c.expiresAt = tonumber(state[4]) or 0
  prune(c, now)
  if c.total + c.amount > c.limit then admitted = 0 end
  checks[i] = c
end

for i = 1, n do
  local c = checks[i]
  local fields = {}
  if admitted == 1 then
    local ttl = c.kind == 1 and window or lease
    local expiry = now + ttl
    c.total = c.total + c.amount
    fields = { '_total', fmt(c.total), id, fmt(c.amount) }
    if c.kind == 3 then
      c.pending = c.pending + c.amount
      fields[#fields + 1] = '_pending'
      fields[#fields + 1] = fmt(c.pending)
    end
    local emptied = c.next == nil
    if c.next == nil or expiry < c.next then c.next = expiry end
    local refresh = emptied or c.expiresAt < now + c.keyTtl
    local keep = c.keyTtl + math.min(math.floor(c.keyTtl / 8), 60000)
    if refresh then
      fields[#fields + 1] = '_exp'
      fields[#fields + 1] = fmt(now + keep)
    end
    if c.next ~= c.storedNext then
      fields[#fields + 1] = '_next'
      fields[#fields + 1] = fmt(c.next)
    end
    redis.call('HSET', c.h, unpack(fields))
    redis.call('ZADD', c.z, fmt(expiry), id)
    if refresh then
      redis.call('PEXPIRE', c.h, fmt(keep))
      redis.call('PEXPIRE', c.z, fmt(keep))
    end
  elseif c.dirty or (c.next ~= nil and c.next ~= c.storedNext) then
    fields = { '_total', fmt(c.total) }
    if c.kind == 3 then
      fields[#fields + 1] = '_pending'
      fields[#fields + 1] = fmt(c.pending)
    end
    if c.next ~= nil then
      fields[#fields + 1] = '_next'
      fields[#fields + 1] = fmt(c.next)
    end
    redis.call('HSET', c.h, unpack(fields))
  end
end

local out = { admitted }
for i = 1, n do
  local c = checks[i]
  local reset = 0
  local retry = 0
  if c.kind == 1 then
    if admitted == 1 then
      -- The entry just added expires last, a window from now.
      reset = window
    else
      local newest = redis.call('ZRANGE', c.z, -1, -1, 'WITHSCORES')
      if #newest == 2 then reset = tonumber(newest[2]) - now end
    end
    if admitted == 0 and c.total + c.amount > c.limit then
      retry = window
      if c.amount <= c.limit then
        local needed = c.total + c.amount - c.limit
        if c.unit then
          local entry = redis.call('ZRANGE', c.z, needed - 1, needed - 1, 'WITHSCORES')
          if #entry == 2 then retry = tonumber(entry[2]) - now end
        else
          local oldest = redis.call('ZRANGE', c.z, 0, 255, 'WITHSCORES')
          local freed = 0
          for j = 1, #oldest, 2 do
            freed = freed + (tonumber(redis.call('HGET', c.h, oldest[j])) or 0)
            if freed >= needed then retry = tonumber(oldest[j + 1]) - now break end
          end
          if freed < needed then retry = reset end
        end
      end
    end
  elseif c.kind == 2 then
    if admitted == 0 and c.total + c.amount > c.limit then retry = ${inFlightRetryMs} end
  else
    reset = c.periodReset
    if admitted == 0 and c.total + c.amount > c.limit then
      if c.amount <= c.limit and c.total - c.pending + c.amount <= c.limit then
        retry = ${inFlightRetryMs}
      else
        retry = c.periodReset
      end
    end
  end
  out[#out + 1] = c.total
  out[#out + 1] = reset
  out[#out + 1] = retry
end
return out
`;

/**
 * KEYS: the reservation's settled marker, then per reserved counter its hash and sorted set.
 * ARGV: reservation id, marker TTL ms, counter count, then per counter: kind, actual amount (-1 keeps the
 * reserved amount), 1 when the amount is adjusted on settle (tokens), else 0.
 * Returns the number of counters that still held the reservation.
 */
export const settleScript = `
local id = ARGV[1]
-- A reservation settles once: later settles and releases of it change nothing.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
local n = tonumber(ARGV[3])
local touched = 0
for i = 1, n do
  local base = 3 + (i - 1) * 3
  local kind = tonumber(ARGV[base + 1])
  local actual = tonumber(ARGV[base + 2])
  local adjusts = ARGV[base + 3] == '1'
  local h = KEYS[2 * i]
  local z = KEYS[2 * i + 1]
  local reserved = tonumber(redis.call('HGET', h, id))
  if reserved then
    if kind == 1 then
      -- Requests stay counted; tokens become what was used, for the rest of the window.
      if adjusts and actual >= 0 then
        redis.call('HSET', h, id, string.format('%d', actual))
        redis.call('HINCRBY', h, '_total', string.format('%d', actual - reserved))
      end
      touched = touched + 1
    elseif redis.call('ZREM', z, id) == 1 then
      -- The last entry gone, Redis deleted the sorted set: the next acquire must give it a TTL.
      if redis.call('EXISTS', z) == 0 then
        redis.call('HDEL', h, id, '_exp')
      else
        redis.call('HDEL', h, id)
      end
      if kind == 2 then
        redis.call('HINCRBY', h, '_total', string.format('%d', -reserved))
      else
        redis.call('HINCRBY', h, '_pending', string.format('%d', -reserved))
        if actual >= 0 then
          redis.call('HINCRBY', h, '_total', string.format('%d', actual - reserved))
        end
      end
      touched = touched + 1
    end
  end
end
return touched
`;
