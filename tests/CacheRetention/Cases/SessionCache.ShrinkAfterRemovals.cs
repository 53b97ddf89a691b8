using System.Collections.Generic;

namespace CacheRetention.AfterShrinkAfterRemovals;

/// <summary>Open sessions by id: opened by the million on a busy day, closed one by one afterwards.</summary>
public sealed class SessionCache
{
    private readonly Dictionary<int, string> _sessions = new Dictionary<int, string>();

    public int Count => _sessions.Count;

    public void Open(int id, string user) => _sessions[id] = user;

    public bool TryGet(int id, out string user) => _sessions.TryGetValue(id, out user);

    public void Close(int id)
    {
        _sessions.Remove(id);
        if (_sessions.Count < _sessions.Capacity / 4)
        {
            _sessions.TrimExcess();
        }
    }
}
