package ldaptest

// DefaultLDIF is a small town's directory: the departments 総務課 and 税務課 as OUs, a service
// account, three people (one with no mapped department) and two groups.
const DefaultLDIF = `dn: dc=example,dc=jp
objectClass: dcObject
objectClass: organization
dc: example
o: Example Town

dn: ou=services,dc=example,dc=jp
objectClass: organizationalUnit
ou: services

dn: cn=mamori,ou=services,dc=example,dc=jp
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: mamori
userPassword: service-secret

dn: ou=総務課,dc=example,dc=jp
objectClass: organizationalUnit
ou: 総務課

dn: ou=税務課,dc=example,dc=jp
objectClass: organizationalUnit
ou: 税務課

dn: ou=企画課,dc=example,dc=jp
objectClass: organizationalUnit
ou: 企画課

dn: ou=groups,dc=example,dc=jp
objectClass: organizationalUnit
ou: groups

dn: uid=tanaka,ou=総務課,dc=example,dc=jp
objectClass: inetOrgPerson
uid: tanaka
cn: 田中 一郎
sn: 田中
displayName: 田中 一郎
mail: tanaka@example.jp
employeeNumber: D1001
departmentNumber: 総務課
userPassword: tanaka-pass

dn: uid=suzuki,ou=税務課,dc=example,dc=jp
objectClass: inetOrgPerson
uid: suzuki
cn: 鈴木 花子
sn: 鈴木
displayName: 鈴木 花子
mail: suzuki@example.jp
employeeNumber: D1002
departmentNumber: 税務課
userPassword: suzuki-pass

dn: uid=sato,ou=企画課,dc=example,dc=jp
objectClass: inetOrgPerson
uid: sato
cn: 佐藤 次郎
sn: 佐藤
displayName: 佐藤 次郎
employeeNumber: D1003
departmentNumber: 企画課
userPassword: sato-pass

dn: cn=sec-officers,ou=groups,dc=example,dc=jp
objectClass: groupOfNames
cn: sec-officers
member: uid=tanaka,ou=総務課,dc=example,dc=jp

dn: cn=csirt,ou=groups,dc=example,dc=jp
objectClass: groupOfNames
cn: csirt
member: uid=tanaka,ou=総務課,dc=example,dc=jp
member: uid=suzuki,ou=税務課,dc=example,dc=jp
`
