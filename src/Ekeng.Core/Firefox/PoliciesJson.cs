using System.Text.Encodings.Web;
using System.Text.Json;
using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Reads and merges the SecurityDevices policy of a policies.json. Everything else in the file (other policies,
    /// other devices, the order of keys) is kept; only the SecurityDevices object is rewritten, in the Add/Delete form.
    /// A file that is not JSON fails with PolicyJsonInvalid naming the file and line, and is never written.
    /// </summary>
    public static class PoliciesJson
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private static readonly JsonDocumentOptions ParseOptions = new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

        /// <summary>The policy as found in the file (an empty one for null or empty content).</summary>
        public static SecurityDevicesPolicy Read(byte[]? content, string fileName)
        {
            using (JsonDocument? document = Parse(content, fileName))
            {
                return ReadPolicy(document, fileName);
            }
        }

        /// <summary>Applies <paramref name="edit"/> to the file's SecurityDevices; returns the edit and the new bytes (null when unchanged).</summary>
        public static (PolicyEdit Edit, byte[]? Content) Edit(byte[]? content, string fileName, Func<SecurityDevicesPolicy, PolicyEdit> edit)
        {
            using (JsonDocument? document = Parse(content, fileName))
            {
                SecurityDevicesPolicy policy = ReadPolicy(document, fileName);
                PolicyEdit result = edit(policy);
                if (!result.Changed)
                {
                    return (result, null);
                }

                return (result, Write(document, policy));
            }
        }

        private static JsonDocument? Parse(byte[]? content, string fileName)
        {
            if (content is null)
            {
                return null;
            }

            int offset = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            if (content.Skip(offset).All(b => b == ' ' || b == '\t' || b == '\r' || b == '\n'))
            {
                return null;
            }

            // System.Text.Json checks UTF-8 only when a string is read: check the whole file first, so that a bad byte
            // inside a string is a clear PolicyJsonInvalid (Firefox, too, rejects a file that is not UTF-8).
            try
            {
                StrictUtf8.GetString(content, offset, content.Length - offset);
            }
            catch (DecoderFallbackException e)
            {
                int at = offset + Math.Max(0, e.Index);
                long badLine = 1 + content.Take(at).Count(b => b == (byte)'\n');
                throw Invalid(fileName, $"it is not UTF-8 text (line {badLine})", badLine);
            }

            try
            {
                return JsonDocument.Parse(new ReadOnlyMemory<byte>(content, offset, content.Length - offset), ParseOptions);
            }
            catch (JsonException e)
            {
                long line = (e.LineNumber ?? 0) + 1;
                long column = (e.BytePositionInLine ?? 0) + 1;
                throw Invalid(fileName, $"it is not valid JSON at line {line}, column {column}", line);
            }
        }

        private static SecurityDevicesPolicy ReadPolicy(JsonDocument? document, string fileName)
        {
            var add = new List<KeyValuePair<string, string>>();
            var delete = new List<string>();
            var flat = new List<KeyValuePair<string, string>>();
            bool hasAddOrDelete = false;
            if (document is null)
            {
                return new SecurityDevicesPolicy(add, delete, flat, false);
            }

            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(fileName, "its top level is not a JSON object", null);
            }

            if (!TryGetLast(root, "policies", out JsonElement policies))
            {
                return new SecurityDevicesPolicy(add, delete, flat, false);
            }

            if (policies.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(fileName, "\"policies\" is not a JSON object", null);
            }

            if (!TryGetLast(policies, "SecurityDevices", out JsonElement devices))
            {
                return new SecurityDevicesPolicy(add, delete, flat, false);
            }

            if (devices.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(fileName, "\"SecurityDevices\" is not a JSON object", null);
            }

            // Firefox reads policies.json with JSON.parse: of duplicate keys the LAST wins. So does this, at every level.
            int lastAdd = LastIndex(devices, "Add");
            int lastDelete = LastIndex(devices, "Delete");
            int index = -1;
            foreach (JsonProperty property in devices.EnumerateObject())
            {
                index++;
                if (property.NameEquals("Add") || property.NameEquals("Delete"))
                {
                    hasAddOrDelete = true;
                }

                if (property.NameEquals("Add"))
                {
                    if (index != lastAdd)
                    {
                        continue;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid(fileName, "\"SecurityDevices.Add\" is not an object of name: path pairs", null);
                    }

                    foreach (JsonProperty device in property.Value.EnumerateObject())
                    {
                        add.Add(new KeyValuePair<string, string>(device.Name, StringOf(device.Value, fileName, "SecurityDevices.Add." + device.Name)));
                    }
                }
                else if (property.NameEquals("Delete"))
                {
                    if (index != lastDelete)
                    {
                        continue;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Invalid(fileName, "\"SecurityDevices.Delete\" is not an array of names", null);
                    }

                    foreach (JsonElement name in property.Value.EnumerateArray())
                    {
                        delete.Add(StringOf(name, fileName, "SecurityDevices.Delete"));
                    }
                }
                else if (property.Value.ValueKind == JsonValueKind.String)
                {
                    flat.Add(new KeyValuePair<string, string>(property.Name, property.Value.GetString() ?? string.Empty));
                }
            }

            return new SecurityDevicesPolicy(add, delete, flat, hasAddOrDelete);
        }

        private static byte[] Write(JsonDocument? document, SecurityDevicesPolicy policy)
        {
            var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, options))
                {
                    // Of duplicate "policies" (and "SecurityDevices") keys Firefox uses the last: the edit goes there; the others stay as they were.
                    WriteObjectReplacing(writer, document?.RootElement, "policies", policies =>
                        WriteObjectReplacing(writer, policies, "SecurityDevices", devices => WriteDevices(writer, devices, policy)));
                }

                stream.WriteByte((byte)'\n');
                return stream.ToArray();
            }
        }

        /// <summary>
        /// An object copied property by property, except the last one named <paramref name="name"/>, whose value
        /// <paramref name="writeValue"/> writes in its place (given the old value), or appends when there is none.
        /// </summary>
        private static void WriteObjectReplacing(Utf8JsonWriter writer, JsonElement? existing, string name, Action<JsonElement?> writeValue)
        {
            writer.WriteStartObject();
            bool written = false;
            if (existing is JsonElement element)
            {
                int last = LastIndex(element, name);
                int index = -1;
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (++index == last)
                    {
                        writer.WritePropertyName(property.Name);
                        writeValue(property.Value);
                        written = true;
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            if (!written)
            {
                writer.WritePropertyName(name);
                writeValue(null);
            }

            writer.WriteEndObject();
        }

        private static void WriteDevices(Utf8JsonWriter writer, JsonElement? devices, SecurityDevicesPolicy policy)
        {
            writer.WriteStartObject();
            bool addWritten = false;
            bool deleteWritten = false;
            if (devices is JsonElement existing)
            {
                int lastAdd = LastIndex(existing, "Add");
                int lastDelete = LastIndex(existing, "Delete");
                int index = -1;
                foreach (JsonProperty property in existing.EnumerateObject())
                {
                    index++;
                    if (index == lastAdd)
                    {
                        WriteAdd(writer, policy);
                        addWritten = true;
                    }
                    else if (index == lastDelete)
                    {
                        WriteDelete(writer, policy);
                        deleteWritten = true;
                    }
                    else if (!(policy.MigratedFlat && property.Value.ValueKind == JsonValueKind.String))
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            if (!addWritten && policy.Add.Count > 0)
            {
                WriteAdd(writer, policy);
            }

            if (!deleteWritten && policy.Delete.Count > 0)
            {
                WriteDelete(writer, policy);
            }

            writer.WriteEndObject();
        }

        private static void WriteAdd(Utf8JsonWriter writer, SecurityDevicesPolicy policy)
        {
            writer.WriteStartObject("Add");
            foreach (KeyValuePair<string, string> device in policy.Add)
            {
                writer.WriteString(device.Key, device.Value);
            }

            writer.WriteEndObject();
        }

        private static void WriteDelete(Utf8JsonWriter writer, SecurityDevicesPolicy policy)
        {
            writer.WriteStartArray("Delete");
            foreach (string name in policy.Delete)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        /// <summary>The position among <paramref name="element"/>'s properties of the last one named <paramref name="name"/> (the one JSON.parse keeps), or -1.</summary>
        private static int LastIndex(JsonElement element, string name)
        {
            int last = -1;
            int index = 0;
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    last = index;
                }

                index++;
            }

            return last;
        }

        private static bool TryGetLast(JsonElement element, string name, out JsonElement value)
        {
            // JSON.parse keeps the last of duplicate keys; so does this.
            bool found = false;
            value = default;
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    value = property.Value;
                    found = true;
                }
            }

            return found;
        }

        private static string StringOf(JsonElement element, string fileName, string where)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Invalid(fileName, $"\"{where}\" holds a {element.ValueKind}, not a string", null);
            }

            return element.GetString() ?? string.Empty;
        }

        private static EkengException Invalid(string fileName, string reason, long? line)
        {
            return new EkengException(BrowserErrors.PolicyJsonInvalid, $"'{fileName}': {reason}. The file was left untouched.")
            {
                RecommendedAction = line.HasValue
                    ? $"Repair the file at line {line} (Firefox ignores a policies.json it cannot parse), then run the command again."
                    : "Repair the file (see about:policies in Firefox), then run the command again.",
                TargetObject = fileName,
            };
        }
    }
}
