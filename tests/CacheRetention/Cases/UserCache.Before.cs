using System.Collections.Generic;

namespace CacheRetention.Before;

/// <summary>User names cached by id: a promotion day fills it, and an administrator resets it afterwards.</summary>
public sealed class UserCache
{
    private Dictionary<int, string> _users = new Dictionary<int, string>();

    public int Count => _users.Count;

    public void Add(int id, string name) => _users[id] = name;

    public bool TryGet(int id, out string name) => _users.TryGetValue(id, out name);

    public void Reset()
    {
        _users.Clear();
    }
}
