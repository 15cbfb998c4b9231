import type { PdfDocument, PdfLine } from '../server/pdf';

const line = (description: string, quantity: number, unitPrice: number, ratePpm: number, discount = 0): PdfLine => {
  const net = quantity * unitPrice - discount;
  const tax = Math.round((net * ratePpm) / 1_000_000);
  return { description, period: null, quantity, unitPrice, discount, taxRatePpm: ratePpm, tax, total: net + tax };
};

function totals(lines: PdfLine[]) {
  return lines.reduce(
    (t, l) => ({
      subtotal: t.subtotal + (l.quantity ?? 0) * (l.unitPrice ?? 0),
      discount: t.discount + l.discount,
      tax: t.tax + l.tax,
      total: t.total + l.total,
    }),
    { subtotal: 0, discount: 0, tax: 0, total: 0 },
  );
}

/** A typical invoice: a German seller, a few lines, paid by card. Texts in English; pass `language` to relabel. */
export function sampleInvoice(overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines = overrides.lines ?? [
    line('Photo Toolkit 3', 2, 4900, 190_000, 800),
    {
      ...line('Studio Pro (monthly)', 1, 1900, 190_000),
      period: { start: new Date('2026-01-15T12:00:00Z'), end: new Date('2026-02-15T12:00:00Z') },
    },
    line('Font Pack Pro — printed guide', 1, 1500, 70_000),
  ];
  return {
    kind: 'invoice',
    language: 'en',
    paper: 'a4',
    number: 'NW-2026-000123',
    revision: 1,
    issuedAt: new Date('2026-01-15T12:00:00Z'),
    supply: { date: new Date('2026-01-15T12:00:00Z') },
    references: [{ label: 'Order', value: 'NOR260115-4821-20573' }],
    seller: {
      name: 'Northwind Software GmbH',
      addressLines: ['Friedrichstraße 68', '10117 Berlin', 'Germany'],
      email: 'billing@northwind.example',
      vatId: 'DE123456789',
      registrationNumber: 'HRB 123456 B',
      footer: 'IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX\nThank you for your order!',
      logo: null,
    },
    buyer: {
      name: 'Ada Lovelace',
      businessName: 'Analytical Engines Ltd',
      addressLines: ['12 St James’s Square', 'SW1Y 4JH London', 'United Kingdom'],
      email: 'ada@example.com',
      taxId: 'GB123456789',
      isBusiness: true,
    },
    currency: 'EUR',
    lines,
    totals: totals(lines),
    payment: 'Paid on January 15, 2026 with Visa •••• 4242.',
    notes: [],
    link: {
      label: 'View this order in your account',
      url: 'https://shop.northwind.example/account#/orders/ord_4k9x2m7q1w8e5r3t6y0u',
    },
    ...overrides,
  };
}

/** An invoice with `count` lines, to see the table break onto more pages. */
export function longInvoice(count = 45, overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines = Array.from({ length: count }, (_, i) =>
    line(`Font Pack ${i + 1} — Regular, Italic, Bold and Bold Italic`, 1 + (i % 3), 1000 + i * 10, 190_000),
  );
  return sampleInvoice({ lines, totals: totals(lines), ...overrides });
}

/**
 * A credit note of the sample invoice: two units of the toolkit given back, and a
 * share of the subscription's line refunded by amount.
 */
export function sampleCreditNote(overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines: PdfLine[] = [
    line('Photo Toolkit 3', 2, 4900, 190_000),
    { ...line('Studio Pro (monthly) (partial refund)', 1, 1000, 190_000), quantity: null, unitPrice: null },
  ];
  const tax = lines.reduce((sum, l) => sum + l.tax, 0);
  const total = lines.reduce((sum, l) => sum + l.total, 0);
  return sampleInvoice({
    kind: 'credit_note',
    number: 'NW-CN-2026-000007',
    issuedAt: new Date('2026-02-02T12:00:00Z'),
    supply: null,
    references: [
      { label: 'Corrects invoice', value: 'NW-2026-000123' },
      { label: 'Order', value: 'NOR260115-4821-20573' },
    ],
    lines,
    totals: { subtotal: total - tax, discount: 0, tax, total },
    payment: 'Refunded on February 2, 2026 to Visa •••• 4242.',
    notes: ['This credit note corrects invoice NW-2026-000123 of January 15, 2026.', 'Reason: Bought twice.'],
    ...overrides,
  });
}

/** The scripts invoices are printed in, each with a sample invoice whose data is written in it. */
export const scripts = [
  'latin',
  'cyrillic',
  'greek',
  'vietnamese',
  'japanese',
  'chinese-simplified',
  'chinese-traditional',
  'korean',
  'arabic',
  'hebrew',
] as const;
export type Script = (typeof scripts)[number];

interface ScriptData {
  language: PdfDocument['language'];
  currency: string;
  seller: [name: string, ...address: string[]];
  buyer: [name: string, ...address: string[]];
  products: [string, string, string];
  payment: string;
  link: string;
}

// Data in each script: names, addresses and products as a shop in that country would have them
// (one product keeps its Latin name everywhere), and the texts the caller of renderPdf words.
const data: Record<Script, ScriptData> = {
  latin: {
    language: 'en',
    currency: 'EUR',
    seller: ['Northwind Software GmbH', 'Friedrichstraße 68', '10117 Berlin', 'Germany'],
    buyer: ['Ada Lovelace', '12 St James’s Square', 'SW1Y 4JH London', 'United Kingdom'],
    products: ['Photo Toolkit 3', 'Studio Pro (monthly)', 'Font Pack Pro — printed guide'],
    payment: 'Paid on January 15, 2026 with Visa •••• 4242.',
    link: 'View this order in your account',
  },
  cyrillic: {
    language: 'ru',
    currency: 'RUB',
    seller: ['ООО «Северный ветер»', 'ул. Тверская, д. 7', '125009 Москва', 'Россия'],
    buyer: ['Анна Каренина', 'Невский проспект, 28', '191186 Санкт-Петербург', 'Россия'],
    products: ['Фотоинструменты 3', 'Studio Pro (ежемесячно)', 'Набор шрифтов — печатное руководство'],
    payment: 'Оплачено 15 января 2026 г. картой Visa •••• 4242.',
    link: 'Посмотреть этот заказ в личном кабинете',
  },
  greek: {
    language: 'el',
    currency: 'EUR',
    seller: ['Βόρειος Άνεμος Α.Ε.', 'Λεωφόρος Αμαλίας 10', '105 57 Αθήνα', 'Ελλάδα'],
    buyer: ['Οδυσσέας Ελύτης', 'Οδός Ερμού 25', '546 24 Θεσσαλονίκη', 'Ελλάδα'],
    products: ['Εργαλεία φωτογραφίας 3', 'Studio Pro (μηνιαία)', 'Πακέτο γραμματοσειρών — έντυπος οδηγός'],
    payment: 'Πληρώθηκε στις 15 Ιανουαρίου 2026 με Visa •••• 4242.',
    link: 'Δείτε αυτή την παραγγελία στον λογαριασμό σας',
  },
  vietnamese: {
    language: 'vi',
    currency: 'VND',
    seller: ['Công ty TNHH Gió Bắc', '68 Đường Lê Lợi', 'Quận 1, TP. Hồ Chí Minh', 'Việt Nam'],
    buyer: ['Nguyễn Thị Hương', '25 Phố Hàng Bạc', 'Hoàn Kiếm, Hà Nội', 'Việt Nam'],
    products: ['Bộ công cụ ảnh 3', 'Studio Pro (hằng tháng)', 'Gói phông chữ — sách hướng dẫn in'],
    payment: 'Đã thanh toán ngày 15 tháng 1 năm 2026 bằng Visa •••• 4242.',
    link: 'Xem đơn hàng này trong tài khoản của bạn',
  },
  japanese: {
    language: 'ja',
    currency: 'JPY',
    seller: ['株式会社ノースウィンド', '東京都渋谷区神南1-2-3', '〒150-0041', '日本'],
    // A Cyrillic name and a Latin product on a Japanese invoice: every script finds its font.
    buyer: ['Анна Каренина', '大阪府大阪市北区梅田3-1-1', '〒530-0001', '日本'],
    products: ['写真ツールキット 3', 'Studio Pro（月額）', 'フォントパック — 印刷版ガイド'],
    payment: '2026年1月15日に Visa •••• 4242 でお支払い済み。',
    link: 'アカウントでこの注文を見る',
  },
  'chinese-simplified': {
    language: 'zh-CN',
    currency: 'CNY',
    seller: ['北风软件有限公司', '北京市朝阳区建国路88号', '100022', '中国'],
    buyer: ['王小明', '上海市浦东新区世纪大道100号', '200120', '中国'],
    products: ['照片工具包 3', 'Studio Pro（按月）', '字体包——印刷版指南'],
    payment: '已于2026年1月15日通过 Visa •••• 4242 支付。',
    link: '在您的账户中查看此订单',
  },
  'chinese-traditional': {
    language: 'zh-TW',
    currency: 'TWD',
    seller: ['北風軟體股份有限公司', '台北市信義區信義路五段7號', '110', '台灣'],
    buyer: ['陳美玲', '高雄市前金區中正四路211號', '801', '台灣'],
    products: ['照片工具組 3', 'Studio Pro（每月）', '字型套件——印刷版指南'],
    payment: '已於2026年1月15日以 Visa •••• 4242 付款。',
    link: '在您的帳戶中檢視此訂單',
  },
  korean: {
    language: 'ko',
    currency: 'KRW',
    seller: ['주식회사 북풍소프트', '서울특별시 강남구 테헤란로 152', '06236', '대한민국'],
    buyer: ['김민준', '부산광역시 해운대구 해운대로 570', '48094', '대한민국'],
    products: ['사진 도구 모음 3', 'Studio Pro (월간)', '글꼴 팩 — 인쇄용 안내서'],
    payment: '2026년 1월 15일 Visa •••• 4242(으)로 결제됨.',
    link: '내 계정에서 이 주문 보기',
  },
  arabic: {
    language: 'ar',
    currency: 'SAR',
    seller: ['شركة الرياح الشمالية للبرمجيات', 'شارع الملك فهد 68', 'الرياض 12211', 'المملكة العربية السعودية'],
    buyer: ['محمد عبد الله', 'طريق الكورنيش 25', 'جدة 23511', 'المملكة العربية السعودية'],
    products: ['أدوات الصور 3', 'Studio Pro (شهري)', 'حزمة الخطوط — دليل مطبوع'],
    payment: 'دُفعت في 15 يناير 2026 باستخدام Visa •••• 4242.',
    link: 'اعرض هذا الطلب في حسابك',
  },
  hebrew: {
    language: 'he',
    currency: 'ILS',
    seller: ['רוח צפונית תוכנה בע״מ', 'רחוב הרצל 68', '6801101 תל אביב', 'ישראל'],
    buyer: ['דוד כהן', 'שדרות רוטשילד 25', '6688123 תל אביב', 'ישראל'],
    products: ['ערכת כלי צילום 3', 'Studio Pro (חודשי)', 'חבילת גופנים — מדריך מודפס'],
    payment: 'שולם ב-15 בינואר 2026 באמצעות Visa •••• 4242.',
    link: 'צפייה בהזמנה זו בחשבון שלך',
  },
};

/** An invoice in a script: its language, currency, seller, buyer, products and worded texts all in it. */
export function scriptInvoice(script: Script, overrides: Partial<PdfDocument> = {}): PdfDocument {
  const d = data[script];
  const base = sampleInvoice();
  const [photo, studio, fonts] = base.lines;
  const lines = [
    { ...photo, description: d.products[0] },
    { ...studio, description: d.products[1] },
    { ...fonts, description: d.products[2] },
  ];
  const [sellerName, ...sellerAddress] = d.seller;
  const [buyerName, ...buyerAddress] = d.buyer;
  return sampleInvoice({
    language: d.language,
    currency: d.currency,
    seller: { ...base.seller, name: sellerName, addressLines: sellerAddress, footer: null },
    buyer: { ...base.buyer, name: buyerName, businessName: null, addressLines: buyerAddress },
    lines,
    payment: d.payment,
    link: { label: d.link, url: base.link!.url },
    ...overrides,
  });
}
