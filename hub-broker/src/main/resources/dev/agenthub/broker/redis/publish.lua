-- Publishes one event atomically: next offset, bounded history, durable log, live delivery.
-- KEYS[1] channel meta hash (epoch, offset, rid, hb)   KEYS[2] channel history stream
-- KEYS[3] log stream   KEYS[4] log stream's byte count
-- ARGV[1] epoch to use if the channel has none   ARGV[2] event JSON before the offset
-- ARGV[3] event JSON after the epoch   ARGV[4] history length   ARGV[5] history TTL (s)
-- ARGV[6] meta TTL (s, >= history TTL)   ARGV[7] log length   ARGV[8] pub/sub channel
-- ARGV[9] PUBLISH, or SPUBLISH on a cluster (the sharded channel shares the keys' slot)
-- ARGV[10] '1' to tie the epoch to this master's replication id (cluster: see below)
-- ARGV[11] history bytes   ARGV[12] log bytes
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local replid, node = '', ''

-- This node's id in the cluster, '' where a script may not ask it.
local function myId()
  local id = redis.pcall('CLUSTER', 'MYID')
  return type(id) == 'string' and id or ''
end

-- Whether a node is, or was, of this node's shard (its master or a replica, failed ones
-- included until the cluster forgets them); yes where a script may not ask.
local function ofMyShard(id)
  local me, shards = myId(), redis.pcall('CLUSTER', 'SHARDS')
  if me == '' or type(shards) ~= 'table' or shards.err then
    return true
  end
  for _, shard in ipairs(shards) do
    local ids, mine = {}, false
    for i = 1, #shard, 2 do
      if shard[i] == 'nodes' then
        for _, fields in ipairs(shard[i + 1]) do
          for j = 1, #fields, 2 do
            if fields[j] == 'id' then
              ids[fields[j + 1]] = true
              mine = mine or fields[j + 1] == me
            end
          end
        end
      end
    end
    if mine then
      return ids[id] == true
    end
  end
  return true
end

if ARGV[10] == '1' then
  -- A replica that took over may lack the last writes its master acknowledged: under the
  -- old epoch it would hand out their offsets again to other events, a silent gap for
  -- whoever saw them. A promoted replica has a new replication id (the old one its
  -- second): a new epoch then. A channel whose slot migrated from another shard
  -- (resharding: its keys moved whole, by MIGRATE) also finds another master's id, of a
  -- node not of this shard: it keeps its epoch. A channel written before nodes were
  -- recorded, or, on a master that was promoted, last written by a node of its shard under
  -- another id (failovers), gets a new epoch.
  local info = redis.call('INFO', 'replication')
  replid = string.match(info, 'master_replid:(%w+)') or ''
  local rid = epoch and redis.call('HGET', KEYS[1], 'rid')
  if rid and rid ~= replid then
    local was = redis.call('HGET', KEYS[1], 'node')
    local replid2 = string.match(info, 'master_replid2:(%w+)') or ''
    -- a master never promoted (its second id all zeros) holds nothing a dead master wrote:
    -- its shard's other nodes do not matter (a master emptied by resharding becomes a
    -- replica of the one that took its last slot, of this shard then)
    local promoted = not string.match(replid2, '^0*$')
    if not was or was == '' or rid == replid2 or (promoted and ofMyShard(was)) then
      epoch = false
    else
      redis.call('HSET', KEYS[1], 'rid', replid, 'node', myId())
    end
  end
  if not epoch then
    node = myId()
  end
end
if not epoch then
  -- The channel's state is new or was lost: a new epoch, and no stale history under it.
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0, 'rid', replid, 'node', node, 'hb', 0)
end
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local json = ARGV[2] .. offset .. ',"epoch":"' .. epoch .. ARGV[3]

-- Appends to a stream and drops its oldest entries while it holds more than `count`
-- entries or `bytes` bytes of events (always keeping the newest). The byte total lives
-- in a hash field or a string key.
local function append(stream, id, count, bytes, total)
  if redis.call('XLEN', stream) == 0 then
    total.set(0)
  end
  redis.call('XADD', stream, id, 'e', json)
  local size = total.add(#json)
  local length = redis.call('XLEN', stream)
  while length > 1 and (length > count or size > bytes) do
    local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
    redis.call('XDEL', stream, oldest[1])
    size = total.add(-#oldest[2][2])
    length = length - 1
  end
end

append(KEYS[2], offset .. '-1', tonumber(ARGV[4]), tonumber(ARGV[11]), {
  set = function(v) redis.call('HSET', KEYS[1], 'hb', v) end,
  add = function(d) return redis.call('HINCRBY', KEYS[1], 'hb', d) end })
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[6])
append(KEYS[3], '*', tonumber(ARGV[7]), tonumber(ARGV[12]), {
  set = function(v) redis.call('SET', KEYS[4], v) end,
  add = function(d) return redis.call('INCRBY', KEYS[4], d) end })
redis.call(ARGV[9], ARGV[8], json)
return {epoch, offset}
