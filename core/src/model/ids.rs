//! Resource ids (the keys of the topology's maps, and the designer's node ids) and the
//! map type that refuses duplicate keys instead of silently keeping the last one.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// The id of a resource within its kind: the key in the topology's map.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Id {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("an id cannot be empty".into());
        }
        if s.len() > 255 {
            return Err(format!("id `{}…` is longer than 255 characters", &s[..32]));
        }
        if s.chars().any(char::is_control) {
            return Err(format!("id {s:?} contains a control character"));
        }
        Ok(Id(s.to_owned()))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(de::Error::custom)
    }
}
impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "minLength": 1, "maxLength": 255,
                       "description": "The id of another resource in this topology." })
    }
}

/// Resources of one kind, keyed by id, in id order. Deserialising refuses a repeated key,
/// which JSON allows syntactically but which would otherwise drop a resource unseen.
#[derive(Debug, Clone, PartialEq)]
pub struct IdMap<T>(pub BTreeMap<Id, T>);

impl<T> Default for IdMap<T> {
    fn default() -> Self {
        IdMap(BTreeMap::new())
    }
}

impl<T> IdMap<T> {
    pub fn get(&self, id: &str) -> Option<&T> {
        self.0.get(id)
    }
    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }
    pub fn iter(&self) -> std::collections::btree_map::Iter<'_, Id, T> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get_key_value(&self, id: &str) -> Option<(&Id, &T)> {
        self.0.get_key_value(id)
    }
}

impl<'a, T> IntoIterator for &'a IdMap<T> {
    type Item = (&'a Id, &'a T);
    type IntoIter = std::collections::btree_map::Iter<'a, Id, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> FromIterator<(Id, T)> for IdMap<T> {
    fn from_iter<I: IntoIterator<Item = (Id, T)>>(iter: I) -> Self {
        IdMap(iter.into_iter().collect())
    }
}

impl<T: Serialize> Serialize for IdMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for IdMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(UniqueKeys(PhantomData))
    }
}

struct UniqueKeys<K, V>(PhantomData<(K, V)>);

impl<'de, V: Deserialize<'de>> de::Visitor<'de> for UniqueKeys<Id, V> {
    type Value = IdMap<V>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from id to resource")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<Id>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate id `{key}`: each id may appear once per kind"
                )));
            }
            let value = map.next_value()?;
            out.insert(key, value);
        }
        Ok(IdMap(out))
    }
}

impl<T: JsonSchema> JsonSchema for IdMap<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", T::schema_name()).into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let inner = gen.subschema_for::<T>();
        json_schema!({ "type": "object", "additionalProperties": inner,
                       "propertyNames": { "minLength": 1, "maxLength": 255 } })
    }
}

/// A map with unique string keys that are not resource ids (routes, stages, variables).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMap<T>(pub BTreeMap<String, T>);

impl<T> Default for KeyMap<T> {
    fn default() -> Self {
        KeyMap(BTreeMap::new())
    }
}
impl<T> KeyMap<T> {
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.get(key)
    }
    pub fn iter(&self) -> std::collections::btree_map::Iter<'_, String, T> {
        self.0.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}
impl<T: Serialize> Serialize for KeyMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
impl<'de, T: Deserialize<'de>> Deserialize<'de> for KeyMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
            type Value = KeyMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<KeyMap<T>, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    out.insert(key, map.next_value()?);
                }
                Ok(KeyMap(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}
impl<T: JsonSchema> JsonSchema for KeyMap<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("KeyMap_of_{}", T::schema_name()).into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let inner = gen.subschema_for::<T>();
        json_schema!({ "type": "object", "additionalProperties": inner })
    }
}
impl<T> FromIterator<(String, T)> for KeyMap<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        KeyMap(iter.into_iter().collect())
    }
}
