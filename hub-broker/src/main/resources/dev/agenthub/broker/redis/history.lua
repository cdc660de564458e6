-- Reads channels' positions and the history after an offset, creating the epoch where none.
-- One channel for a history read; many for a batch of position reads (one Redis, not a
-- cluster: the keys of different channels are in different slots there).
-- KEYS: for each channel, its meta hash then its history stream
-- ARGV[1] since (exclusive)   ARGV[2] limit (0: position only)   ARGV[3] meta TTL (s)
-- ARGV[4] '1' to record this master's replication id and node id (see publish.lua)
-- then for each channel: the epoch to use if none, and 0 or, for an ephemeral channel
-- (nothing is written for it until a publish), its TTL in seconds: a channel without state
-- then answers a virtual epoch that changes every TTL, so a subscriber that saw it cannot
-- take a later, since expired, epoch for "nothing new". 'peek' instead: a channel without
-- state answers an empty epoch and gets none (a lookup a client's made-up name reaches).
-- Returns epoch, offset and entries for each channel, in order.
local out = {}
local replid, node
for c = 0, #KEYS / 2 - 1 do
  local meta, stream = KEYS[2 * c + 1], KEYS[2 * c + 2]
  local fresh, ephemeral = ARGV[5 + 2 * c], ARGV[6 + 2 * c]
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch and ephemeral == 'peek' then
    table.insert(out, '')
    table.insert(out, '0')
    table.insert(out, {})
  elseif not epoch and ephemeral ~= '0' then
    local now = redis.call('TIME')
    table.insert(out, 'v' .. math.floor(tonumber(now[1]) / tonumber(ephemeral)))
    table.insert(out, '0')
    table.insert(out, {})
  else
    if not epoch then
      epoch = fresh
      if replid == nil then
        replid, node = '', ''
        if ARGV[4] == '1' then
          replid = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or ''
          node = redis.pcall('CLUSTER', 'MYID')
          if type(node) ~= 'string' then
            node = ''
          end
        end
      end
      redis.call('DEL', stream)
      redis.call('HSET', meta, 'epoch', epoch, 'offset', 0, 'rid', replid, 'node', node, 'hb', 0)
      redis.call('EXPIRE', meta, ARGV[3])
    end
    local entries = {}
    if tonumber(ARGV[2]) > 0 then
      entries = redis.call('XRANGE', stream, '(' .. ARGV[1] .. '-1', '+', 'COUNT', ARGV[2])
    end
    table.insert(out, epoch)
    table.insert(out, redis.call('HGET', meta, 'offset'))
    table.insert(out, entries)
  end
end
return out
