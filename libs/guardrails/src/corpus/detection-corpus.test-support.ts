/** One labelled sample: a text and every value in it that a detector must find, by type. */
export interface LabelledSample {
  readonly text: string;
  readonly entities: readonly { readonly type: string; readonly value: string }[];
}

const e = (type: string, value: string) => ({ type, value });

/** Positives: each value in many real-world formats, inside ordinary sentences. */
const positives: LabelledSample[] = [
  // email
  ...[
    'alice@example.com',
    'bob.smith+tag@mail.co.uk',
    'j_doe-99@sub.domain.example.org',
    'ADMIN@EXAMPLE.COM',
    'first.last@company.io',
    'x@y.dev',
    'support%team@help-desk.example.net',
    'name.o-neil@universität.example.de'.replace('universität', 'uni'),
  ].map((value) => ({
    text: `Please write to ${value} before Friday.`,
    entities: [e('email', value)],
  })),
  {
    text: 'cc: <carol@example.com>, dave@example.org;',
    entities: [e('email', 'carol@example.com'), e('email', 'dave@example.org')],
  },
  { text: '{"to":"erin@example.com","subject":"hi"}', entities: [e('email', 'erin@example.com')] },
  // phone
  ...[
    '+1 415 555 0132',
    '+1-415-555-0132',
    '+14155550132',
    '(415) 555-0132',
    '415-555-0132',
    '415.555.0132',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '020 7946 0958',
    '+49 30 1234567',
    '+33 1 42 68 53 00',
    '01 42 68 53 00',
    '+81-3-1234-5678',
    '+91 98765 43210',
    '+61 2 9876 5432',
    '+55 11 91234-5678',
    '0044 20 7946 0958',
  ].map((value) => ({ text: `Call me on ${value} tomorrow.`, entities: [e('phone', value)] })),
  // ssn
  ...['123-45-6789', '078-05-1120', '219-09-9999', '457 55 5462', '536-90-4399'].map((value) => ({
    text: `Employee SSN ${value} on file.`,
    entities: [e('ssn', value)],
  })),
  { text: 'SSN: 536904399', entities: [e('ssn', '536904399')] },
  { text: 'social security number 457555462.', entities: [e('ssn', '457555462')] },
  // credit_card
  ...[
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '4111111111111111',
    '4012888888881881',
    '4242 4242 4242 4242',
    '5555 5555 5555 4444',
    '5105-1051-0510-5100',
    '2223003122003222',
    '3782 822463 10005',
    '371449635398431',
    '6011 1111 1111 1117',
    '6011000990139424',
    '3056 930902 5904',
    '3530111333300000',
    '3566 0020 2036 0505',
    '6200000000000005',
  ].map((value) => ({ text: `Charge card ${value} please.`, entities: [e('credit_card', value)] })),
  // iban
  ...[
    'DE89370400440532013000',
    'DE89 3704 0044 0532 0130 00',
    'GB82WEST12345698765432',
    'GB82 WEST 1234 5698 7654 32',
    'FR1420041010050500013M02606',
    'FR14 2004 1010 0505 0001 3M02 606',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'NL91ABNA0417164300',
    'NL91 ABNA 0417 1643 00',
    'BE68539007547034',
    'CH9300762011623852957',
    'AT611904300234573201',
    'PL61109010140000071219812874',
    'SE4550000000058398257466',
    'NO9386011117947',
    'DK5000400440116243',
    'IE29AIBK93115212345678',
    'LU280019400644750000',
    'AE070331234567890123456',
  ].map((value) => ({ text: `Wire it to ${value} today`, entities: [e('iban', value)] })),
  // ip_address
  ...[
    '192.168.1.10',
    '10.0.0.1',
    '8.8.8.8',
    '255.255.255.0',
    '172.16.254.1',
    '2001:db8::1',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    'fe80::1ff:fe23:4567:890a',
    '::ffff:192.0.2.128',
    'fe80::7:8%eth0',
    '2606:4700:4700::1111',
  ].map((value) => ({
    text: `The server at ${value} is down.`,
    entities: [e('ip_address', value)],
  })),
  // secrets
  ...[
    e('aws_access_key', 'AKIAIOSFODNN7EXAMPLE'),
    e('aws_access_key', 'ASIAY34FZKBOKMUTVV7A'),
    e('github_token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'),
    e('github_token', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'),
    e(
      'github_token',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab',
    ),
    e('gitlab_token', 'glpat-xxxxxxxxxxxxxxxxxxxx'),
    e('gitlab_token', 'glpat-AbC1_dEf2-GhI3jKl4MnO5'),
    e('slack_token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'),
    e(
      'slack_token',
      'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef',
    ),
    e(
      'slack_token',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ),
    e('openai_key', 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL'),
    e(
      'openai_key',
      'sk-proj-Ab3dEf6hIj9kLmNoPqRsTuVwXyZ_0123456789-abcdefghijklmnopqrstuvwxyzABCDEFG',
    ),
    e('openai_key', 'sk-svcacct-AbCdEf0123456789GhIjKlMnOpQrStUv'),
    e(
      'anthropic_key',
      'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz012345678-AAAA',
    ),
    e('anthropic_key', 'sk-ant-admin01-AbCdEfGhIjKlMnOpQrStUvWx0123456789'),
    e('google_api_key', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'),
    e('stripe_key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'),
    e('stripe_key', 'rk_live_51H8abcDEFghiJKLmnoPQRstu'),
    e(
      'jwt',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ),
    e('connection_string', 'postgres://admin:s3cr3t@db.internal:5432/app'),
    e('connection_string', 'postgresql://user:p%40ss@10.1.2.3/analytics?sslmode=require'),
    e('connection_string', 'mongodb+srv://svc:Hunter2@cluster0.ab1cd.mongodb.net/prod'),
    e('connection_string', 'mysql://root:toor@localhost:3306/shop'),
    e('connection_string', 'redis://default:redispass@cache:6379/0'),
    e('connection_string', 'jdbc:sqlserver://sql01:1433;database=hr;user=sa;password=Passw0rd!'),
  ].map((entity) => ({ text: `config: ${entity.value}\nthanks`, entities: [entity] })),
  ...[
    'AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'aws_secret_key: Je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    'export AWS_SECRET_ACCESS_KEY=abcd1234efgh5678ijkl9012mnop3456qrst7890',
  ].map((text) => ({ text, entities: [e('aws_secret_key', /[=:]\s*"?([^"]+)/.exec(text)![1]!)] })),
  {
    text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    entities: [e('aws_secret_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')],
  },
  {
    text: 'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----\n',
    entities: [
      e(
        'private_key',
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----',
      ),
    ],
  },
  {
    text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----',
    entities: [
      e(
        'private_key',
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----',
      ),
    ],
  },
  {
    text: 'truncated: -----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    entities: [e('private_key', '-----BEGIN PRIVATE KEY-----')],
  },
  {
    text: 'Header: CONFIDENTIAL – INTERNAL. Do not share.',
    entities: [e('document_marker', 'CONFIDENTIAL – INTERNAL')],
  },
  {
    text: 'confidential - internal use only',
    entities: [e('document_marker', 'confidential - internal')],
  },
  { text: 'Status of Project Falcon launch?', entities: [e('never_send_term', 'Project Falcon')] },
  { text: 'the acme-merger numbers', entities: [e('never_send_term', 'acme-merger')] },
];

/** Hard negatives: shapes that look like an entity but are not one. Nothing may be found. */
const hardNegatives: string[] = [
  'Order #12345678 shipped; order number 4000123456 confirmed.',
  'Tracking 1Z999AA10123456784 and invoice INV-2024-000123.',
  'Order 1234567890123456 was refunded.',
  'Reference 4000 0000 0000 0001 is a test reference number.',
  'Meeting on 2024-01-31 at 12:30:45, or 31/01/2024, or 01.31.2024.',
  'Timestamp 2024-01-31T12:30:45Z and 20240131.',
  'Upgrade from version 1.2.3 to v10.4.1 (build 4.12.0-rc.1).',
  'Python 3.11.4, Node v20.19.0, semver 2.0.0-alpha.1+001.',
  'Request id 550e8400-e29b-41d4-a716-446655440000 failed.',
  'UUID 123e4567-e89b-12d3-a456-426614174000 in the log.',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'md5 d41d8cd98f00b204e9800998ecf8427e, commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
  'Total: $1,234.56, or 12345.67 EUR, or 1 234 567,89 kr.',
  'It costs 99.99 and weighs 1234567.89 grams.',
  'ISBN 978-3-16-148410-0 and ISBN-10 0-306-40615-2.',
  'ISBN 9780306406157.',
  'Zip code 94105-1234 and PO Box 4471.',
  'Coordinates 37.7749, -122.4194.',
  'Range 1-2-3 and ratio 16:9 and 1:1000.',
  'Image sizes 1920x1080 and 3840x2160.',
  'std::vector<int> v; a::b::c();',
  'MAC 00:1A:2B:3C:4D:5E on port 8080.',
  'Invalid IP 999.1.1.1 and 1.2.3.4.5 and 256.256.256.256.',
  'Account name DEMO1234 TEST5678.',
  'Use the scikit-learn package (sk-learn) and sk-1234.',
  'Tokens like ghp_short and glpat-short and xoxb- are placeholders.',
  'AKIA is the prefix of AWS keys; AKIAEXAMPLE is too short.',
  'Connect with postgres://localhost:5432/app or mongodb://db.internal/prod.',
  'See https://example.com/path?query=1&page=2 for docs.',
  'The eyJ prefix starts base64 JSON; eyJhbGciOi alone is not a token.',
  'The task-management-system and risk-assessment-2024 docs.',
  'This is confidential, and internal only in spirit.',
  'The falcon flew over the project site.',
  'Phone extension x1234 and room 101.',
  'Serial SN-0042-7781-2231 and part P/N 55-1234-01.',
  'Pi is 3.14159265358979 and e is 2.71828182845904.',
  'Call 911 or 112 in an emergency; dial 1-800 numbers for free.',
  'Batch 000-12-3456 and lot 666-12-3456 and 900-12-3456.',
  'IBAN-like DE00123456789012345678 with a bad checksum.',
  'Card-like 4111 1111 1111 1112 fails Luhn.',
  'Credit limit 5000 and 15 digit 123456789012345 id.',
  'Git tag v2024.01.15 and calver 24.1.0.',
];

/** The whole corpus: labelled positives plus hard negatives (no entities). */
export const detectionCorpus: readonly LabelledSample[] = [
  ...positives,
  ...hardNegatives.map((text) => ({ text, entities: [] })),
];

/** Never-send terms and markers the corpus is evaluated with. */
export const corpusSecretOptions = {
  neverSend: ['Project Falcon', 'acme-merger'],
  markers: ['CONFIDENTIAL – INTERNAL'],
};
