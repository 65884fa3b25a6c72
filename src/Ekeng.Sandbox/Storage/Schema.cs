using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Storage;

/// <summary>The tables, and the settings seeded on first start (the fee and the terms live here, not in code paths).</summary>
public static class Schema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS registrations (
            psn TEXT PRIMARY KEY, holder_name TEXT NOT NULL, phone TEXT, status TEXT NOT NULL, pay_online INTEGER NOT NULL DEFAULT 0,
            terms_version TEXT, requested_at TEXT, activated_at TEXT, usable_from TEXT, paid_until TEXT, period_anchor TEXT);
        CREATE TABLE IF NOT EXISTS sms_codes (
            id INTEGER PRIMARY KEY AUTOINCREMENT, psn TEXT NOT NULL, code TEXT NOT NULL, purpose TEXT NOT NULL, sent_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, attempts_left INTEGER NOT NULL, state TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS sms_codes_psn ON sms_codes (psn, id);
        CREATE TABLE IF NOT EXISTS sms_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, phone TEXT NOT NULL, code TEXT NOT NULL, purpose TEXT NOT NULL, sent_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS sms_outbox_phone ON sms_outbox (phone, id);
        CREATE TABLE IF NOT EXISTS logins (id INTEGER PRIMARY KEY AUTOINCREMENT, thumbprint TEXT NOT NULL, subject TEXT NOT NULL, at TEXT NOT NULL, path TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS gateway_orders (
            order_id TEXT PRIMARY KEY, merchant TEXT NOT NULL, order_number TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
            description TEXT, return_url TEXT NOT NULL, fail_url TEXT, language TEXT NOT NULL, session_timeout INTEGER NOT NULL,
            created_at TEXT NOT NULL, order_status INTEGER NOT NULL, action_code INTEGER NOT NULL, action_description TEXT NOT NULL,
            masked_pan TEXT, expiration TEXT, cardholder TEXT, brand TEXT, approval_code TEXT, auth_ref_num TEXT, auth_at TEXT,
            deposited INTEGER NOT NULL DEFAULT 0, refunded INTEGER NOT NULL DEFAULT 0,
            UNIQUE (merchant, order_number));
        CREATE TABLE IF NOT EXISTS fee_orders (
            order_number TEXT PRIMARY KEY, order_id TEXT NOT NULL, psn TEXT NOT NULL, holder_name TEXT NOT NULL, attempt INTEGER NOT NULL,
            period_start TEXT NOT NULL, period_end TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
            order_status INTEGER NOT NULL, action_code INTEGER, action_description TEXT, method TEXT, masked_pan TEXT, approval_code TEXT,
            cardholder TEXT, paid_at TEXT, payment_url TEXT NOT NULL, created_at TEXT NOT NULL,
            gateway_amount INTEGER, gateway_currency TEXT, gateway_order_number TEXT, mismatch TEXT);
        CREATE INDEX IF NOT EXISTS fee_orders_psn ON fee_orders (psn, period_start);
        """;

    public const string TermsText =
        "Contract for the use of the e-signature certificate (sandbox). The holder keeps the identity card and its PINs " +
        "secret, reports a lost card at once, and pays the annual service fee. EKENG keeps the certificate's status " +
        "current and the holder's data confidential. (Sandbox text: not EKENG's real contract.)";

    public static void Seed(SqliteConnection connection, SqliteTransaction tx)
    {
        // A data directory made by an older sandbox: the fee order columns added since.
        List<string> columns = SandboxDatabase.Query(connection, tx, "SELECT name FROM pragma_table_info('fee_orders')", r => r.GetString(0));
        foreach ((string column, string type) in new[] { ("gateway_amount", "INTEGER"), ("gateway_currency", "TEXT"), ("gateway_order_number", "TEXT"), ("mismatch", "TEXT") })
        {
            if (!columns.Contains(column)) SandboxDatabase.Execute(connection, tx, $"ALTER TABLE fee_orders ADD COLUMN {column} {type}");
        }

        (string, string)[] defaults =
        [
            ("fee.amount", "3000"), ("fee.currency", "AMD"), ("fee.currencyCode", "051"), ("fee.periodMonths", "12"),
            ("terms.version", "2026-01"), ("terms.text", TermsText),
        ];
        foreach ((string key, string value) in defaults)
        {
            SandboxDatabase.Execute(connection, tx, "INSERT OR IGNORE INTO settings (key, value) VALUES ($k, $v)", ("$k", key), ("$v", value));
        }
    }
}
