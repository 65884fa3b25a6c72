using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Storage;

/// <summary>
/// The sandbox's state: SQLite in WAL mode under the data directory. Every write runs under one process-wide
/// writer lock inside a transaction (read-modify-write included), so concurrent requests never lose a write;
/// reads use their own connection. busy_timeout guards against anything else touching the file.
/// </summary>
public sealed class SandboxDatabase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SandboxDatabase(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        using SqliteTransaction tx = connection.BeginTransaction();
        Execute(connection, tx, Schema.Sql);
        Schema.Seed(connection, tx);
        tx.Commit();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> as the only writer, in a transaction committed when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = Open();
            using SqliteTransaction tx = connection.BeginTransaction();
            T result = work(connection, tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using SqliteConnection connection = Open();
        return work(connection);
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, tx, sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static List<T> Query<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, tx, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach ((string name, object? value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Timestamps are stored as ISO 8601 UTC text with milliseconds.</summary>
    public static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ReadStamp(SqliteDataReader reader, string column)
    {
        int i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : DateTimeOffset.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public static string? ReadString(SqliteDataReader reader, string column)
    {
        int i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetString(i);
    }

    public static long? ReadLong(SqliteDataReader reader, string column)
    {
        int i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetInt64(i);
    }
}
