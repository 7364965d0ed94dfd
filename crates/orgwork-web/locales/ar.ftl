app-name = orgwork
skip-to-content = انتقل إلى المحتوى
nav-structure = الهيكل التنظيمي
nav-audit = سجل التدقيق
language = اللغة
lang-en = English
lang-vi = Tiếng Việt
lang-ar = العربية
signed-in-as = مسجّل الدخول باسم { $name }
logout = تسجيل الخروج
login-title = تسجيل الدخول
user-name = اسم المستخدم
password = كلمة المرور
log-in = دخول
login-failed = اسم المستخدم أو كلمة المرور غير صحيحة، أو الحساب معطّل.
login-rate-limited = محاولات فاشلة كثيرة. حاول مرة أخرى بعد { $minutes ->
    [zero] أقل من دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
    [many] { $minutes } دقيقةً
   *[other] { $minutes } دقيقة
}.
as-of = في تاريخ
show = عرض
search = البحث عن وحدة
search-hint = الرمز أو الاسم؛ لا تُراعى علامات التشكيل
search-results = { $count ->
    [zero] لا توجد وحدة تطابق «{ $query }».
    [one] وحدة واحدة تطابق «{ $query }».
    [two] وحدتان تطابقان «{ $query }».
    [few] { $count } وحدات تطابق «{ $query }».
    [many] { $count } وحدةً تطابق «{ $query }».
   *[other] { $count } وحدة تطابق «{ $query }».
}
tree-title = شجرة الوحدات
tree-show-children = عرض الوحدات التابعة لـ { $name }
tree-empty = لا توجد وحدة ضمن نطاقك في هذا التاريخ.
unit-code = الرمز
unit-name = الاسم
unit-name-vi = الاسم بالفيتنامية
unit-name-en = الاسم بالإنجليزية
unit-name-ar = الاسم بالعربية
unit-kind = النوع
unit-parent = الوحدة الأعلى
unit-life = مدة الوجود
unit-from = منذ { $date }
unit-between = { $from } – { $to } (حُلّت)
unit-path = المسار إلى الجذر
unit-children = { $count ->
    [zero] لا توجد وحدات تابعة
    [one] وحدة تابعة واحدة
    [two] وحدتان تابعتان
    [few] { $count } وحدات تابعة
    [many] { $count } وحدةً تابعةً
   *[other] { $count } وحدة تابعة
}
unit-history = السجل
unit-audit = قيود التدقيق
unit-not-live = هذه الوحدة غير موجودة في { $date }؛ تُعرض كما كانت آخر مرة.
history-date = التاريخ
history-change = التغيير
history-decision = القرار
history-created = أُنشئت باسم { $name } تحت { $parent }
history-created-root = أُنشئت باسم { $name }
history-renamed = غُيّر اسمها من { $old } إلى { $new }
history-moved = نُقلت من { $old } إلى { $new }
history-dissolved = حُلّت
form-create = إنشاء وحدة تابعة لهذه الوحدة
form-rename = تغيير الاسم
form-move = النقل إلى وحدة أخرى
form-dissolve = الحل
form-effective = تاريخ السريان
form-valid-from = اليوم الأول
form-new-parent = رمز الوحدة الأعلى الجديدة
form-decision = رقم القرار (اختياري)
form-submit-create = إنشاء
form-submit-rename = تغيير الاسم
form-submit-move = نقل
form-submit-dissolve = حل
form-dissolve-hint = تاريخ السريان هو أول يوم لا تعود فيه الوحدة موجودة. لا يمكن حل وحدة لها وحدات تابعة قائمة.
form-done = تم الحفظ.
audit-when = وقت التسجيل
audit-actor = بواسطة
audit-action = الإجراء
audit-target = الهدف
audit-verify-hint = كل قيد مرتبط بالقيد السابق ببصمة SHA-256؛ يتحقق الأمر orgwork audit verify من السلسلة.
audit-caption = الأوقات بتوقيت المنظمة (UTC{ $zone })، الأحدث أولًا.
audit-older = إدخالات أقدم
audit-target-member = العضو { $id }
audit-target-transfer = النقل { $id }
audit-target-candidate = المرشح { $id }
audit-target-user = المستخدم { $name }
audit-target-token = الرمز { $id }
audit-target-restructuring = إعادة الهيكلة { $id }
audit-action-candidate-add = ترشيح مرشح
audit-action-candidate-admit = قبول مرشح
audit-action-candidate-withdraw = سحب ترشيح
audit-action-member-create = إضافة عضو
audit-action-member-edit = تصحيح سجل عضو
audit-action-member-import = استيراد أعضاء
audit-action-member-load = تحميل سجل الأعضاء
audit-action-member-status = تغيير حالة عضو
audit-action-restructure-apply = تطبيق إعادة هيكلة
audit-action-restructure-plan = صياغة إعادة هيكلة
audit-action-restructure-undo = التراجع عن إعادة هيكلة
audit-action-token-create = إنشاء رمز API
audit-action-token-revoke = إلغاء رمز API
audit-action-transfer-accept = استلام نقل
audit-action-transfer-cancel = إلغاء نقل
audit-action-transfer-issue = إصدار نقل
audit-action-unit-create = إنشاء وحدة
audit-action-unit-dissolve = حل وحدة
audit-action-unit-load = تحميل شجرة الوحدات
audit-action-unit-move = نقل وحدة
audit-action-unit-rename = إعادة تسمية وحدة
audit-action-user-create = إضافة مستخدم
audit-action-user-disable = تعطيل مستخدم
audit-action-user-enable = تفعيل مستخدم
audit-action-user-language = اختيار اللغة
audit-action-user-reset_password = إعادة تعيين كلمة المرور
error-title = حدث خطأ
error-not-found = لا توجد صفحة أو وحدة بهذا العنوان.
error-forbidden = هذا خارج ما يسمح لك دورك برؤيته أو تغييره.
error-bad-request = تعذّر فهم الطلب.
error-csrf = انتهت صلاحية النموذج أو لم يأتِ من هذا الموقع. أعد تحميل الصفحة وحاول مجددًا.
error-internal = تعطّل الخادم. لم يتغير شيء.
back-home = العودة إلى الشجرة
role-administrator = مسؤول
role-organizer = منظِّم
role-inspector = مفتش
role-planner = مخطِّط
role-viewer = مُطّلع
err-invalid_date = اكتب التاريخ يومًا صحيحًا من التقويم (YYYY-MM-DD).
err-invalid_code = الرمز من 1 إلى 40 حرفًا أو رقمًا أو «-» أو «_» أو «.».
err-invalid_name = الاسم بالفيتنامية مطلوب (300 حرف على الأكثر).
err-invalid_decision = رقم القرار 100 حرف على الأكثر.
err-unit_not_found = لا توجد وحدة بهذا الرمز في ذلك التاريخ.
err-parent_not_found = لا توجد وحدة بهذا الرمز.
err-parent_not_live = تلك الوحدة غير موجودة طوال المدة ابتداءً من هذا التاريخ.
err-kind_not_allowed = لا يجوز أن تتبع وحدة من هذا النوع وحدة من ذلك النوع.
err-unknown_kind = هذا ليس نوع وحدة في ملف التعريف.
err-cycle = لا يمكن وضع وحدة تحت نفسها أو تحت وحدة تابعة لها.
err-duplicate_code = توجد وحدة قائمة تحمل هذا الرمز.
err-date_outside_unit = التاريخ خارج مدة وجود الوحدة.
err-date_not_after_last_change = تغيّرت الوحدة في ذلك التاريخ أو بعده؛ يجب أن يأتي التغيير بعد آخر تغيير.
err-has_live_children = ما زالت هناك وحدات تابعة قائمة: انقلها أو حلّها أولًا.
err-no_change = لن يتغير شيء.
err-out_of_scope = تلك الوحدة خارج نطاقك.
err-forbidden = دورك لا يسمح بذلك.

nav-members = الأعضاء
members-title = أعضاء { $unit }
members-count = { $count ->
    [zero] لا يوجد أعضاء
    [one] عضو واحد
    [two] عضوان
    [few] { $count } أعضاء
    [many] { $count } عضوًا
   *[other] { $count } عضو
}
members-none = لا يوجد عضو مطابق.
members-filter-probation = تجاوزوا فترة الاختبار
members-filter-status = الحالة
members-filter-category = الفئة
members-any = الكل
date-format = يوم/شهر/سنة
probation-over = { $count ->
    [zero] لا أحد
    [one] عضو واحد تحت الاختبار تجاوز فترة اختباره
    [two] عضوان تحت الاختبار تجاوزا فترة اختبارهما
    [few] { $count } أعضاء تحت الاختبار تجاوزوا فترة اختبارهم
    [many] { $count } عضوًا تحت الاختبار تجاوزوا فترة اختبارهم
   *[other] { $count } عضو تحت الاختبار تجاوزوا فترة اختبارهم
}
probation-over-more = أكثر من { $count } عضو تحت الاختبار تجاوزوا فترة اختبارهم
member-probation-over = انتهت فترة الاختبار في { $date }: لا يزال تحت الاختبار، وينبغي تثبيته أو البت في أمره.
member-badges-reached = نالها
member-badges-next = التالية
member-badge = { $years } سنة، في { $date }
member-badges-none = لا شيء بعد.
members-found = { $count ->
    [zero] لم يُعثر على أحد
    [one] عُثر على عضو واحد
    [two] عُثر على عضوين
    [few] عُثر على { $count } أعضاء
    [many] عُثر على { $count } عضوًا
   *[other] عُثر على { $count } عضو
}
members-found-more = عُثر على أكثر من { $count } عضو
page-number = الصفحة { $count }
page-prev = الصفحة السابقة
page-first = الصفحة الأولى
members-next = الصفحة التالية
members-add = قبول عضو
member-name = الاسم الكامل
member-born = تاريخ الميلاد
member-sex = الجنس
member-unit = الوحدة
member-status = الحالة
member-card = رقم البطاقة
member-national-id = رقم الهوية الوطنية
member-admitted = تاريخ الانتساب
member-official = تاريخ التثبيت
member-ethnicity = القومية
member-religion = الديانة
member-hometown = مسقط الرأس
member-occupation = المهنة
member-education = التعليم
member-theory = المستوى النظري السياسي
member-categories = الفئات
member-joined = أول يوم في الوحدة
member-document = الوثيقة (اختياري)
member-memberships = الوحدات
member-statuses = الحالات
member-badges = أوسمة الأقدمية الحزبية
member-change-status = تغيير الحالة
member-not-member = ليس عضوًا في هذا التاريخ.
member-from-to = { $from } – { $to }
member-since = منذ { $from }
stats-title = الأعضاء في { $date }
stats-total = المجموع
status-probationary = تحت الاختبار
status-official = رسمي
status-transferred_out = منقول إلى الخارج
status-deceased = متوفى
status-expelled = مطرود
status-removed = مشطوب
status-resigned = مستقيل
err-invalid_member = بعض الحقول غير صحيحة؛ انظر أدناه.
err-duplicate_member = لعضو آخر رقم البطاقة أو رقم الهوية هذا.
err-member_not_found = لا يوجد هذا العضو.
err-not_a_member = لم يعد عضوًا في المنظمة.
err-invalid_status = هذه ليست حالة.
err-invalid_status_change = لا يمكن تعيين هذه الحالة بهذه الطريقة.
err-has_members = ما زال فيها أعضاء: انقلهم أولًا.
err-date_before_admission = أول يوم في الوحدة يسبق الانتساب.
err-unit_dissolved = تلك الوحدة محلولة.
members-search = البحث عن عضو
members-search-hint = أي جزء من الاسم دون مراعاة التشكيل؛ أو رقم البطاقة أو الهوية
transfers-title = تنقلات { $unit }
transfers-incoming = بانتظار الاستلام
transfers-outgoing = مُرسلة، بانتظار الاستلام
transfers-history = تنقلات مغلقة
transfers-none = لا يوجد.
transfer-member = العضو
transfer-from = من
transfer-to = إلى
transfer-issued = تاريخ الإصدار
transfer-due = آخر موعد للاستلام
transfer-overdue = متأخر
transfer-state = الحالة
transfer-accept = استلام
transfer-cancel = إلغاء
transfer-form = النقل إلى وحدة أخرى
transfer-to-unit = رمز الوحدة المستلمة
transfer-to-org = أو: منظمة مستلمة خارج الشجرة
transfer-pending = نقل هذا العضو بانتظار الاستلام: صدر في { $date }.
state-issued = بالانتظار
state-accepted = مستلم
state-cancelled = ملغى
err-transfer_pending = هناك نقل لهذا العضو بانتظار الاستلام.
err-transfer_closed = هذا النقل مغلق.
err-transfer_not_found = لا يوجد هذا النقل.
err-same_unit = العضو ينتمي إلى تلك الوحدة.
err-date_before_issue = التاريخ يسبق إصدار النقل.
err-date_outside_membership = لم يكن العضو في الوحدة في ذلك التاريخ.
err-invalid_organization = اكتب اسم المنظمة المستلمة.
err-unit_not_live = تلك الوحدة غير موجودة في ذلك التاريخ.
import-title = استيراد أعضاء إلى { $unit }
import-file = ملف CSV أو XLSX
import-hint = الأعمدة كما في ملف التصدير، أو العناوين الفيتنامية المعتادة. الصفوف بلا عمود للوحدة تنضم إلى هذه الوحدة. لا يتغير شيء قبل تأكيدك، ولا شيء إطلاقًا إن كان في الملف صف خاطئ.
import-check = فحص الملف
import-preview = { $created } للإنشاء، { $updated } للتحديث، { $unchanged } بلا تغيير.
import-confirm = استيراد
import-lines = الأسطر التي تغيّر السجل
import-action = التغيير
import-action-create = عضو جديد
import-action-update = تحديث السجل
import-more-lines = { $count ->
    [zero] ولا أسطر أخرى.
    [one] وسطر آخر.
    [two] وسطران آخران.
    [few] و{ $count } أسطر أخرى.
    [many] و{ $count } سطرًا آخر.
   *[other] و{ $count } سطر آخر.
}
import-errors = { $count ->
    [zero] لا أخطاء.
    [one] خطأ واحد؛ لن يُستورد شيء.
    [two] خطآن؛ لن يُستورد شيء.
    [few] { $count } أخطاء؛ لن يُستورد شيء.
    [many] { $count } خطأً؛ لن يُستورد شيء.
   *[other] { $count } خطأ؛ لن يُستورد شيء.
}
import-row = الصف
import-column = العمود
import-value = القيمة
import-reason = السبب
import-done = تم الاستيراد: { $created } جديد، { $updated } محدّث، { $unchanged } بلا تغيير.
import-expired = لم يعد الملف المفحوص محفوظًا؛ أرسله مرة أخرى.
export-csv = تصدير (CSV)
export-xlsx = تصدير (Excel)
# The columns of a member file (export headings, import faults).
column-card_number = رقم البطاقة
column-national_id = رقم الهوية الوطنية
column-full_name = الاسم الكامل
column-sex = الجنس
column-birth_date = تاريخ الميلاد
column-ethnicity = القومية
column-religion = الدين
column-hometown = مسقط الرأس
column-occupation = المهنة
column-education = المستوى التعليمي
column-theory_level = المستوى النظري السياسي
column-admitted_on = تاريخ الانتساب
column-official_on = تاريخ التثبيت
column-status = الحالة
column-unit = الوحدة
import-link = استيراد من ملف
member-edit = تصحيح السجل
candidates-title = المرشحون للانتساب في { $unit }
candidates-link = المرشحون للانتساب
candidates-none = لا يوجد مرشحون.
candidate-add-anyway = اقترحه مع ذلك
candidate-similar = موجود بالفعل بين المرشحين: هل هو الشخص نفسه؟
candidate-similar-one = { $name }، مولود في { $born }، مقترح في { $proposed } في { $unit }
candidate-similar-hidden = شخص يطابق ما أدخلته (رقم الهوية نفسه، أو الاسم وتاريخ الميلاد نفسهما) ينتظر في وحدة أخرى.
candidate-similar-elsewhere = وحدة أخرى
candidate-similar-hint = لم يُحفظ شيء بعد. اقترحه مع ذلك إن كان شخصًا آخر.
candidate-add = اقتراح مرشح
candidate-course = الدورة التدريبية
candidate-course-done = تاريخ إتمام الدورة
candidate-proposed = تاريخ الاقتراح
candidate-admit = قبول
candidate-withdraw = سحب
candidate-state-candidate = بالانتظار
candidate-state-admitted = مقبول
candidate-state-withdrawn = مسحوب
admissions-line = المقبولون في { $year }: { $admitted } ({ $young } شباب، { $students } طلاب)
err-candidate_closed = هذا المرشح مقبول أو مسحوب.
err-candidate_not_found = لا يوجد هذا المرشح.
err-date_before_proposal = التاريخ يسبق الاقتراح.

## Restructuring
nav-restructure = إعادة الهيكلة
restructure-title = إعادة الهيكلة
restructure-intro = إعادة الهيكلة تدمج الوحدات وتقسمها وتنقلها وتحلّها في تاريخ نفاذ واحد. ضع مسودة، وافحص استمرارية العمل، ثم طبّقها؛ ويمكن التراجع عن آخر إعادة هيكلة.
restructure-none = لا توجد إعادة هيكلة بعد.
restructure-plan = وضع مسودة إعادة هيكلة
restructure-draft-title = العنوان
restructure-effective = تاريخ النفاذ
restructure-decision = القرار
restructure-file = جدول المطابقة (CSV أو Excel: from, to, to_name, to_kind, to_parent) أو ملف عمليات (TOML)
restructure-record = حفظ المسودة
restructure-state = الحالة
restructure-state-draft = مسودة
restructure-state-applied = مطبّقة
restructure-state-undone = متراجع عنها
restructure-operations = العمليات
restructure-check = فحص الاستمرارية
restructure-apply = تطبيق
restructure-undo = تراجع
restructure-passed = نجح فحص الاستمرارية: لكل عضو وحدة قائمة واحدة ولا ينقطع أي عمل.
restructure-failed = لم ينجح فحص الاستمرارية: لا يمكن تطبيق المسودة قبل معالجة ما يلي.
restructure-refused = لم تُطبَّق المسودة لأنها لا تجتاز فحص الاستمرارية. لم يتغير شيء.
restructure-done-apply = طُبِّقت.
restructure-done-undo = تم التراجع: عادت الشجرة كما كانت.
restructure-impact = تتغير { $units } وحدات؛ الأعضاء المعنيون { $concerned }، ينتقل منهم { $moved } إلى وحدة أخرى؛ يُعاد توجيه { $transfers } من طلبات النقل الجارية.
restructure-unit = الوحدة
restructure-change = التغيير
restructure-to = إلى
restructure-members-before = الأعضاء في اليوم السابق
restructure-members-moved = الأعضاء الذين تتغير وحدتهم
restructure-change-created = أُنشئت
restructure-change-renamed = أُعيدت تسميتها
restructure-change-moved = نُقلت
restructure-change-merged = دُمجت
restructure-change-absorbs = تستوعب
restructure-change-split = قُسِّمت
restructure-change-dissolved = حُلَّت
restructure-tree = الشجرة قبل وبعد
restructure-before = قبل
restructure-after = بعد
restructure-view-before = الشجرة في اليوم السابق
restructure-view-after = الشجرة في تاريخ النفاذ
restructure-rule = القاعدة
restructure-operation = العملية
restructure-failure = موضع الخلل
rule-operation = العملية قابلة للتنفيذ
rule-date_order = بعد كل تغيير مسجّل
rule-one_live_unit = وحدة قائمة واحدة لكل عضو
rule-no_member_in_dissolved_unit = لا عضو في وحدة محلولة
rule-no_unit_under_dissolved_unit = لا وحدة تحت وحدة محلولة
rule-kind_placement = أنواع الوحدات وما تتبعه
rule-unique_code = كل رمز مستعمل مرة واحدة
rule-no_cycle = لا وحدة تحت نفسها
rule-transfers_redirected = طلبات النقل الجارية تتبع الوحدات
unit-lineage = النَّسَب
lineage-merged = دُمجت في
lineage-absorbed = استوعبتها
lineage-split = قُسِّمت إلى
lineage-dissolved = حُلَّت إلى
err-check_failed = المسودة لا تجتاز فحص الاستمرارية.
err-nothing_to_undo = لا توجد إعادة هيكلة مطبّقة للتراجع عنها.
err-not_latest = لا يمكن التراجع إلا عن آخر إعادة هيكلة.
err-recorded_after = سُجِّل شيء على هذه الوحدات بعد إعادة الهيكلة؛ لا يمكن التراجع عنها.
err-invalid_mapping = في جدول المطابقة خطأ.
err-invalid_draft = في المسودة خطأ.
err-invalid_operation = في إحدى عمليات المسودة خطأ.
import-progress = { $done } من { $total } صفًّا.
import-stage-checking = جارٍ فحص الصفوف مقابل السجل…
import-stage-writing = جارٍ تسجيل الأعضاء الجدد…
import-stage-counting = جارٍ تحديث الأعداد…

# Why a value or a row is refused (import faults, form fields).
fault-required = مطلوب
fault-required_one_of = مطلوب ({ $allowed })
fault-too_long = ليس نصًا من { $max } حرفًا على الأكثر
fault-not_one_of = ليس أحد: { $allowed }
fault-not_a_date = ليس تاريخًا (اكتب 31/12/1990 أو 1990-12-31)
fault-no_such_day = يوم غير موجود في التقويم
fault-not_digits = ليس من { $min } إلى { $max } أرقام
fault-not_a_number = ليس رقمًا
fault-not_an_email = ليس عنوان بريد إلكتروني
fault-under_18 = قبل أن يبلغ العضو 18 سنة (مولود في { $born })
fault-implausible_birth = ليس تاريخ ميلاد معقولًا
fault-official_not_after = ليس بعد الانتساب ({ $admitted })
fault-file_empty = الملف فارغ
fault-column_twice = العمود { $n } مكرر
fault-unknown_column = ليس عمودًا يعرفه orgwork (انظر عناوين ملف التصدير)
fault-column_required = هذا العمود مطلوب
fault-not_a_unit_code = ليس رمز وحدة
fault-status_not_member = ليس تحت الاختبار ولا رسميًا
fault-status_disagrees = لا يتفق مع تاريخ التثبيت
fault-row_twice = موجود في السطر { $first } أيضًا
fault-no_unit = لا وحدة: أضف عمود الوحدة أو وحدة افتراضية
fault-hidden_member = يخص عضوًا خارج الوحدات التي يمكنك رؤيتها: لا يمكن استيراد هذا السطر هنا
fault-left_member = يخص عضوًا لا ينتمي الآن إلى أي وحدة (منقول أو لم يعد عضوًا): لا يمكن للاستيراد تغييره
fault-member_elsewhere = العضو { $member } ينتمي إلى { $unit }: النقل ينقل الأعضاء، والاستيراد لا يفعل
fault-number_taken = يخص العضو { $member } بالفعل
fault-unit_dissolved = محلولة؛ لا يمكن لعضو الانضمام إليها
fault-unit_unknown = ليست وحدة في { $day }
fault-unit_not_writable = ليست وحدة تحت { $unit } يمكنك تعديلها
fault-unit_not_yours = ليست وحدة يمكنك تعديلها
fault-counted_before_scope = سيُحسب العضو في { $unit } من { $joins }، لكن يمكنك تعديل { $unit } من { $from } فقط (كانت خارج وحداتك قبل ذلك)
fault-refused = مرفوض: { $message }
fault-op_taken_apart = العملية { $n } ({ $op }): الوحدة { $unit } فُكّكت من قبل في العملية { $first }
fault-op_own_parent = العملية { $n } ({ $op }): لا يمكن أن تتبع الوحدة { $unit } نفسها
fault-op_created_twice = العملية { $n } ({ $op }): الوحدة { $unit } أُنشئت مرتين
fault-op_listed_twice = العملية { $n } ({ $op }): وحدة مذكورة مرتين
fault-op_merge_alone = العملية { $n } ({ $op }): يحتاج الدمج إلى وحدة واحدة على الأقل غير الوحدة الباقية
fault-op_split_parts = العملية { $n } ({ $op }): يحتاج التقسيم إلى جزأين على الأقل
fault-op_unit_two_parts = العملية { $n } ({ $op }): وحدة تأخذ جزأين
fault-op_one_rest = العملية { $n } ({ $op }): جزء واحد فقط يأخذ الباقي
fault-op_child_two_parts = العملية { $n } ({ $op }): الوحدة التابعة { $child } أُعطيت لجزأين
fault-op_member_two_parts = العملية { $n } ({ $op }): العضو { $member } أُعطي لجزأين
fault-op_into_itself = العملية { $n } ({ $op }): لا يمكن حل الوحدة { $unit } في نفسها
fault-op_refused = العملية { $n } ({ $op }): { $error }
fault-map_refused = السطر { $row }، العمود { $column } («{ $value }»): { $error }
fault-map_mapped_twice = السطر { $row }، العمود { $column } («{ $value }»): الوحدة { $unit } مذكورة من قبل في السطر { $first }
fault-map_no_destination = السطر { $row }، العمود { $column } («{ $value }»): اذكر الوحدة التي تنتقل إليها، أو اترك to_name وto_kind وto_parent فارغة لحلّها
fault-map_disagrees = السطر { $row }، العمود { $column } («{ $value }»): السطر { $first } يذكر «{ $other }» للوحدة نفسها
fault-map_survivor_kind = السطر { $row }، العمود { $column } («{ $value }»): { $unit } باقية وتحتفظ بنوعها؛ اترك to_kind فارغًا
fault-map_new_needs = السطر { $row }، العمود { $column } («{ $value }»): { $unit } وحدة جديدة: اذكر { $missing }
fault-map_unknown_column = الجدول: العمود «{ $column }» غير معروف (الأعمدة هي { $columns })
fault-map_parent_cycle = to_parent: الوحدات الجديدة { $units } يتبع بعضها بعضًا
fault-plan_code_twice = الرمز معطى لبندين
fault-plan_no_such_parent = لا يشير إلى بند آخر من البرنامج ({ $parent })
fault-plan_no_title = البند بلا عنوان
fault-plan_no_responsible = لا وحدة مسؤولة
fault-plan_responsible_outside = { $unit } ليست وحدة من نطاق البرنامج في { $day }، الموعد النهائي
fault-plan_no_deadline = لا موعد نهائي
fault-plan_deadline_outside = الموعد النهائي ليس في { $year }، سنة البرنامج
fault-plan_no_indicator = لا مؤشر: هل هو عدد أم نسبة مئوية أم إنجاز مرحلة
fault-plan_no_target = العدد أو النسبة يحتاج إلى هدف
fault-plan_percent_range = هدف النسبة بين 0 و100، وليس { $target }
fault-plan_target_below_baseline = الأعلى أفضل، لكن الهدف { $target } أدنى من القيمة الأساسية { $baseline }
fault-plan_target_above_baseline = الأدنى أفضل، لكن الهدف { $target } أعلى من القيمة الأساسية { $baseline }
fault-plan_weight_not_positive = يجب أن يكون الوزن أكبر من 0
fault-plan_carries_out_nothing = { $item } ليس بندًا من برنامج الوحدة الأعلى
fault-plan_vague = «{ $word }» عبارة عامة والعنوان بلا رقم أو تاريخ: حدّد الكمية والموعد
op-name-create = إنشاء
op-name-rename = إعادة تسمية
op-name-move = نقل
op-name-merge = دمج
op-name-split = تقسيم
op-name-dissolve = حل

# The errors of the API and the store, by their codes.
err-beyond_horizon = التاريخ بعيد جدًا في المستقبل؛ تحقق من السنة.
err-date_after_joining = التاريخ بعد انضمام العضو إلى الوحدة.
err-duplicate_user = يوجد مستخدم بهذا الاسم.
err-empty_draft = تحتاج المسودة إلى عملية واحدة على الأقل.
err-empty_mapping = جدول المطابقة بلا أسطر.
err-empty_period = ستنتهي الفترة في يوم بدايتها أو قبله.
err-imports_busy = هناك عمليات استيراد جارية؛ حاول بعد قليل.
err-internal = حدث خطأ في الخادم؛ لم يتغير شيء.
err-invalid_body = الطلب لا يحوي الحقول المتوقعة.
err-invalid_category = هذه ليست فئة من فئات الملف التعريفي.
err-invalid_course = اسم الدورة 200 حرف على الأكثر.
err-invalid_cursor = رابط الصفحة غير صالح؛ ابدأ من الصفحة الأولى.
err-invalid_direction = الاتجاه وارد أو صادر.
err-invalid_history = في سجل العضو خطأ.
err-invalid_json = الطلب ليس JSON صالحًا.
err-invalid_language = اللغة en أو vi أو ar.
err-invalid_password = كلمة المرور غير صحيحة.
err-invalid_path = العنوان غير صالح.
err-invalid_query = قيمة البحث أو التصفية غير صالحة.
err-invalid_role = هذا ليس دورًا.
err-invalid_title = أدخل عنوانًا من 1 إلى 300 حرف.
err-invalid_user_name = اسم المستخدم من 2 إلى 64 حرفًا لاتينيًا صغيرًا أو رقمًا أو “.” أو “_” أو “-”.
err-invalid_year = هذه ليست سنة.
err-missing_column = ينقص عمود يحتاجه الجدول.
err-no_audit_key = مفتاح السجل مفقود؛ لا يستطيع الخادم توقيع السجل.
err-not_a_draft = لا يُفحص ولا يُطبَّق إلا المسودة.
err-not_found = لا شيء في هذا العنوان.
err-restructuring_not_found = لا توجد إعادة هيكلة كهذه.
err-status_history = لن تتعاقب حالات العضو بعضها بعد بعض.
err-token_not_found = لا يوجد رمز كهذا.
err-token_revoked = هذا الرمز ملغى.
err-too_large = الملف أو الطلب كبير جدًا.
err-too_many_hidden_matches = أسطر كثيرة جدًا صادفت أعضاء خارج وحداتك؛ انتظر قبل المحاولة مجددًا.
err-unauthenticated = سجّل الدخول أولًا.
err-unknown_column = في الجدول عمود لا يعرفه orgwork.
err-unreadable_file = تعذرت قراءة الملف بصيغة CSV أو Excel.
err-user_not_found = لا يوجد مستخدم كهذا.
err-weak_password = تحتاج كلمة المرور إلى 10 أحرف على الأقل.

# A restructuring's operations, as sentences.
op-create = إنشاء { $unit } ({ $kind }) تحت { $parent }
op-rename = إعادة تسمية { $unit } إلى { $name }
op-move = نقل { $unit } تحت { $parent }
op-merge = دمج { $units } في { $into }
op-split = تقسيم { $unit } إلى { $parts }
op-dissolve-into = حل { $unit } وانتقال ما فيها إلى { $into }
op-dissolve = حل { $unit }

# A continuity failure, said in the reader's language (English pages give the store's own sentence).
failure-operation = لا يمكن تنفيذ هذه العملية على شجرة ذلك اليوم (الوحدة { $unit }).
failure-date_order = سُجّل تغيير في هذا التاريخ أو بعده (الوحدة { $unit }): يجب أن تأتي المسودة بعده.
failure-one_live_unit = لن تكون للعضو { $member } وحدة واحدة بالضبط.
failure-no_member_in_dissolved_unit = سيبقى العضو { $member } في { $unit } المحلولة.
failure-no_unit_under_dissolved_unit = ستبقى الوحدة { $unit } تحت وحدة محلولة.
failure-kind_placement = لا يجوز أن تقع الوحدة { $unit } تحت نوع أصلها الجديد.
failure-unique_code = الرمز { $unit } مستخدم من وحدة قائمة.
failure-no_cycle = ستصبح الوحدة { $unit } سلفًا لنفسها.
failure-transfers_redirected = نقل جارٍ للعضو { $member } يذكر { $unit } المحلولة: حدد وجهة أو أنهِ النقل أولًا.
rule-plan_items_reassigned = لبنود برامج العمل المفتوحة وحدة تتسلمها
failure-plan_items_reassigned = البند { $item } من برنامج العمل { $programme } من مسؤولية { $unit } التي يفككها المشروع، ولا وحدة تتسلمه: حدد وجهته.
err-invalid_plan_item = تعذرت قراءة وجهة بند من برنامج العمل.
restructure-plan-items = بنود برامج العمل المفتوحة التي تنتقل مسؤوليتها
restructure-plan-from = المسؤول الآن
restructure-plan-to = تتسلمه
restructure-plan-none = لا أحد: حدد وجهة

# The home page.
menu = القائمة
nav-modules = الوحدات
nav-home = الرئيسية
home-title = { $unit } في لمحة
home-other-units = وحداتك الأخرى
home-unit-page = صفحة الوحدة
home-members = الأعضاء
home-total = { $count } عضوًا اليوم
home-chart-caption = الأعضاء حسب الحالة والفئة، اليوم
home-figure = منهم
home-count = العدد
home-admissions = الانتساب
home-admitted-in = المقبولون في { $year }
home-probation-over = تجاوزوا فترة الاختبار
home-candidates-waiting = مرشحون بالانتظار
home-transfers = النقل
home-transfers-waiting = بالانتظار
home-transfers-overdue = متأخرة عن الموعد
home-restructuring = إعادة الهيكلة
home-restructuring-latest = آخر ما طُبّق (نافذ في { $date })
home-restructuring-drafts = مسودات بالانتظار

# Asking before an action that cannot be taken back.
confirm-what = ما سيحدث
confirm-irreversible = لا يمكن التراجع عن هذا بنقرة: تحقق قبل التأكيد.
confirm-cancel = العودة دون تغيير أي شيء
confirm-apply-title = تطبيق «{ $title }»؟
confirm-apply-effective = تتغير الشجرة ابتداءً من { $date } دفعة واحدة.
confirm-apply-undo = لا يمكن التراجع إلا عن آخر إعادة هيكلة، وما دام لم يُسجَّل شيء بعدها.
confirm-withdraw-title = سحب ترشيح { $name }؟
confirm-withdraw-what = يخرج { $name } من مسار الانتساب في { $date }.
confirm-withdraw-again = لقبولهم لاحقًا يجب ترشيحهم من جديد.
confirm-accept-title = استلام { $name }؟
confirm-accept-what = يغادر { $member } { $from } وينضم إلى { $to } في { $date }.
confirm-accept-out = يغادر { $member } { $from } إلى { $to } خارج المنظمة في { $date }.
confirm-accept-counts = تتغير أعداد الأعضاء في الوحدتين من ذلك اليوم.

# Work programmes.
audit-action-programme-create = صياغة مسودة برنامج العمل
audit-action-programme-items = استبدال بنود برنامج العمل
audit-action-programme-approve = اعتماد برنامج العمل
audit-action-programme-report = الإبلاغ عن التقدم
audit-action-programme-load = تحميل برامج العمل دفعة واحدة
audit-action-programme-amend = تعديل برنامج العمل
err-invalid_amendment = تعذرت قراءة التعديل: انظر الحقل المذكور.
err-item_has_subitems = للبند بنود فرعية: اسحبها أولًا.
amendment-form = تعديل بند
amendment-hint = لا يتغير إلا ما مُلئ من الحقول. الرمز الجديد يضيف بندًا، والسحب يزيل بندًا. يُسجَّل كل تعديل مع سببه.
amendment-new-code = أو رمز بند جديد
amendment-withdraw = سحب هذا البند
amendment-reason = السبب
amendment-submit = تسجيل التعديل
amendment-history = التعديلات
amendment-none = لا تعديل منذ اعتماد البرنامج.
amendment-changes = التغييرات
amendment-added = أُضيف
amendment-changed = عُدِّل
amendment-withdrawn = سُحب
err-invalid_programme = البرنامج غير سليم الصياغة.
err-invalid_report = تقرير التقدم غير سليم الصياغة.
err-programme_changed = تغيّر البرنامج أثناء فحصه: اعتمده مرة أخرى.
err-programme_exists = للوحدة برنامج لتلك السنة بالفعل.
err-programme_item_not_found = لا يوجد هذا البند في البرنامج.
err-programme_locked = البرنامج معتمد: لا يتغير إلا بتعديل مسجل.
err-programme_not_approved = يُبلَّغ عن التقدم في برنامج معتمد.
err-programme_not_countable = لا يمكن اعتماد البرنامج ما دامت فيه بنود لا تُعد.
err-programme_not_found = لا يوجد هذا البرنامج.
programme-link = برنامج العمل
programme-title = برنامج عمل { $unit } لسنة { $year }
programme-status = الحالة
programme-status-draft = مسودة
programme-status-approved = معتمد
programme-status-closed = مغلق
programme-decision = القرار { $decision } بتاريخ { $date }
programme-theme = الموضوع
programme-completion = نسبة الإنجاز
programme-achievement = المنجز
programme-overdue = متأخر
programme-no-items = لا بنود في البرنامج بعد.
programme-errors = { $count ->
    [one] خطأ واحد يمنع اعتماد البرنامج.
    [two] خطآن يمنعان اعتماد البرنامج.
    [few] { $count } أخطاء تمنع اعتماد البرنامج.
    [many] { $count } خطأً تمنع اعتماد البرنامج.
   *[other] { $count } خطأ تمنع اعتماد البرنامج.
}
programme-reports = { $count ->
    [one] تقرير واحد
    [two] تقريران
    [few] { $count } تقارير
    [many] { $count } تقريرًا
   *[other] { $count } تقرير
}
programme-report = الإبلاغ عن التقدم
programme-item = البند
programme-value = القيمة
programme-on = التاريخ
programme-note = ملاحظة
programme-evidence = الدليل (رقم وثيقة)
programme-approve = اعتماد البرنامج
programme-decision-number = رقم القرار
programme-none = ليس لهذه الوحدة برنامج عمل لسنة { $year }.
programme-this-year = برنامج عمل هذه السنة
programme-close = إغلاق البرنامج
programme-close-hint = في نهاية السنة بعد مراجعتها: لا يُبلَّغ عن تقدم فيه ولا يُعدَّل بعد ذلك؛ ويبقى عرض ما كان عليه في أي يوم.
confirm-close-title = إغلاق { $programme }؟
confirm-close-what = يُغلق البرنامج في { $date }: لا يُبلَّغ بعدها عن تقدم فيه ولا يُعدَّل أي بند.
confirm-close-again = لا يمكن التراجع عن هذا.
audit-action-programme-close = إغلاق برنامج العمل
programme-download = تنزيل البنود:
programme-replace-file = استبدال البنود من ملف
programme-file = الملف (CSV أو Excel)
programme-file-hint = صف لكل بند، بالعناوين code وparent وtitle وresponsible وcooperating وindicator وunit وbaseline وtarget وdeadline وweight وdirection وcarries_out (أو العناوين الفيتنامية المعتادة: Mã وNội dung وĐơn vị chủ trì…). الملف الذي فيه خطأ لا يغيّر شيئًا؛ ويُذكر كل خطأ بصفه وعموده.
programme-new = إعداد مسودة البرنامج من ملف
programme-year = السنة
programme-section = برامج العمل لعام { $year } حتى { $date }
programme-chart-caption = نسبة إنجاز برنامج الوحدة وبرنامج كل وحدة تابعة لها
programme-without = { $count ->
    [one] وحدة واحدة من هذه الوحدات ليس لها برنامج للسنة.
    [two] وحدتان من هذه الوحدات ليس لهما برنامج للسنة.
    [few] { $count } وحدات من هذه الوحدات ليس لها برنامج للسنة.
   *[other] { $count } وحدة من هذه الوحدات ليس لها برنامج للسنة.
}
programme-overdue-list = { $count ->
    [one] بند واحد متأخر
    [two] بندان متأخران
    [few] { $count } بنود متأخرة
   *[other] { $count } بندًا متأخرًا
}
plan-indicator-count = عدد
plan-indicator-percent = نسبة مئوية
plan-indicator-milestone = مرحلة
plan-col-code = الرمز
plan-col-parent = البند الأعلى
plan-col-title = البند
plan-col-responsible = الوحدة المسؤولة
plan-col-cooperating = الوحدات المتعاونة
plan-col-indicator = المؤشر
plan-col-unit = وحدة القياس
plan-col-baseline = القيمة الأساسية
plan-col-target = الهدف
plan-col-deadline = الموعد النهائي
plan-col-weight = الوزن
plan-col-direction = الاتجاه
plan-col-carries_out = ينفذ بند

# التفتيش والإشراف والانضباط.
audit-action-inspection_programme-create = إعداد مسودة برنامج التفتيش
audit-action-inspection_programme-approve = اعتماد برنامج التفتيش
audit-action-inspection-plan = إدراج تفتيش في الخطة
audit-action-inspection-start = بدء التفتيش
audit-action-inspection-defer = تأجيل التفتيش
audit-action-inspection-cancel = إلغاء التفتيش
audit-action-inspection-resume = استئناف التفتيش
audit-action-inspection-conclude = اختتام التفتيش
audit-action-recommendation-done = الإبلاغ عن تنفيذ توصية
audit-action-recommendation-verify = التحقق من تنفيذ توصية
audit-action-recommendation-reject = رفض الإبلاغ عن تنفيذ توصية
audit-action-discipline-open = فتح قضية انضباطية
audit-action-discipline-issue = إصدار قرار انضباطي
audit-action-discipline-appeal = البت في تظلم
audit-action-user-link = ربط مستخدم بسجل عضو
err-case_locked = صدر القرار: لا يتغير إلا بالتظلم.
err-case_not_issued = لا يُتظلم إلا من قرار صادر.
err-conflict_of_interest = أحد أعضاء الفريق ينتمي إلى جهة خاضعة للتفتيش: سجّل استثناءً مع سببه للإبقاء عليه.
err-discipline_case_not_found = لا توجد هذه القضية الانضباطية.
err-finding_not_found = لا توجد هذه النتيجة.
err-finding_subject_outside = الجهة المعنية بإحدى النتائج ليست من الجهات الخاضعة للتفتيش ولا تابعة لها.
err-inspection_not_found = لا يوجد هذا التفتيش.
err-inspection_programme_exists = لدى الجهة برنامج تفتيش لتلك السنة بالفعل.
err-inspection_programme_not_found = لا يوجد برنامج التفتيش هذا.
err-inspection_locked = التفتيش مختتم أو ملغى: لم يعد يتغير.
err-invalid_case = القضية تخص عضوًا واحدًا أو وحدة واحدة، وتبت فيها جهة أعلى.
err-invalid_conclusion = تعذرت قراءة ملف الاستنتاج.
err-invalid_finding = إحدى النتائج غير سليمة: انظر النتيجة المذكورة.
err-invalid_inspection_status = لا يمكن نقل التفتيش إلى تلك الحالة.
err-invalid_inspection_type = ليس هذا نوعًا من أنواع التفتيش أو الإشراف.
err-invalid_measure = هذا الإجراء ليس في السلّم، أو ليس أخف أو أشد كما طُلب.
err-invalid_outcome = التظلم يُبقي الإجراء أو يخففه أو يشدده أو يلغيه.
err-invalid_recommendation = إحدى التوصيات غير سليمة: انظر التوصية المذكورة.
err-invalid_recommendation_status = التوصية ليست في الحالة التي تتطلبها هذه الخطوة.
err-invalid_subjects = اذكر جهة أو أكثر: وحدات أو أعضاء.
err-invalid_team = الفريق كبير جدًا.
err-invalid_text = نص ناقص أو طويل جدًا.
err-invalid_window = يجب أن تقع الفترة المخططة ضمن سنة البرنامج.
err-measure_annulled = أُلغي الإجراء: لم يبق ما يُتظلم منه.
err-member_linked = سجل العضو هذا مرتبط بمستخدم آخر بالفعل.
err-no_body_above = لا توجد جهة أعلى من آخر جهة بتّت: لا يمكن مواصلة التظلم.
err-not_expelled = العضو ليس مفصولًا.
err-recommendation_not_found = لا توجد هذه التوصية.
err-subject_not_member = لا ينتمي هذا العضو إلى أي وحدة خلال الفترة.
err-subject_outside_body = الجهة ليست ضمن نطاق جهة التفتيش في تلك الأيام.
err-verifier_not_independent = لا يتحقق منها صاحبها ولا من أبلغ عن تنفيذها: يجب أن يتحقق مستخدم آخر.
rule-inspections_reassigned = لعمليات التفتيش المفتوحة وحدة تحل محل الجهة التي يفككها المشروع
failure-inspections_reassigned = التفتيش { $item } يخص { $unit } التي يفككها المشروع، ولا وحدة من نطاق الجهة المفتشة تحل محلها: حدد وجهته، أو ادمجها في وحدة، أو اختتم التفتيش أو ألغه أولًا.
rule-recommendations_reassigned = للتوصيات المفتوحة وحدة تنفذها
failure-recommendations_reassigned = التوصية { $item } موجهة إلى { $unit } التي يفككها المشروع، ولا وحدة من نطاق الجهة المفتشة تتسلمها: حدد وجهتها، أو ادمجها في وحدة، أو تحقق من التوصية أولًا.
err-invalid_follow_up = تعذرت قراءة وجهة تفتيش أو توصية.
restructure-follow-ups = عمليات التفتيش والتوصيات التي تنتقل
restructure-follow-what = الموضوع
restructure-follow-inspection = تفتيش
restructure-follow-recommendation = توصية
inspection-body = جهة التفتيش
audit-action-inspection-moved = نقل جهة التفتيش بسبب إعادة الهيكلة
audit-action-recommendation-moved = نقل توصية بسبب إعادة الهيكلة
nav-inspection = التفتيش والإشراف
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
inspection-programme-title = برنامج التفتيش والإشراف لـ { $unit }، { $year }
inspection-year-link = { $year }
inspection-calendar = عمليات التفتيش والإشراف في السنة شهرًا بشهر
inspection-what = التفتيش أو الإشراف
inspection-status = الحالة
inspection-status-planned = مخطط
inspection-status-in_progress = جارٍ
inspection-status-concluded = مختتم
inspection-status-deferred = مؤجل
inspection-status-cancelled = ملغى
inspection-none-planned = لم يُخطط شيء في هذا البرنامج بعد.
inspection-no-programme = ليس لهذه الجهة برنامج تفتيش وإشراف لتلك السنة.
inspection-create = إعداد مسودة برنامج { $year }
inspection-approve = اعتماد البرنامج
inspection-history = التعديلات منذ الاعتماد
inspection-no-reason = (لم يُذكر سبب)
inspection-plan = إدراج تفتيش أو إشراف
inspection-type = النوع
inspection-subjects = الجهات المعنية
inspection-subjects-hint = رموز الوحدات، أو member:ID للعضو، مفصولة بفواصل.
inspection-topic = الموضوع
inspection-criteria = اللوائح المعتمدة
inspection-list-hint = افصل بينها بفواصل أو بأسطر جديدة.
inspection-from = الفترة من
inspection-to = إلى
inspection-window = الفترة المخططة
inspection-head = رئيس الفريق
inspection-member = عضو في الفريق
inspection-members = أعضاء الفريق (مستخدمون)
inspection-team = الفريق
inspection-override = سبب الإبقاء على عضو لديه تضارب مصالح
inspection-override-hint = اتركه فارغًا ما لم يذكر الفحص تضاربًا تختار تجاوزه؛ يُحفظ السبب ويُعرض.
inspection-one = التفتيش
inspection-started = بدأ
inspection-concluded = تاريخ الاختتام
inspection-conflicts = تضارب مصالح تجاوزه المخطط:
inspection-conflict = { $user } (العضو { $member }) ينتمي إلى { $subject }
inspection-findings = النتائج
inspection-recommendations = التوصيات
inspection-change-status = تغيير الحالة
inspection-start = بدء
inspection-defer = تأجيل
inspection-cancel = إلغاء
inspection-resume = استئناف
inspection-reason-hint = مطلوب للتأجيل أو الإلغاء.
inspection-conclude = اختتام التفتيش
inspection-conclude-hint = املأ ما في الاستنتاج من نتائج وتوصيات؛ تُترك الأسطر الفارغة. بعد الاختتام يُقفل التفتيش ونتائجه.
inspection-print-decision = قرار تشكيل الفريق
inspection-print-conclusion = استنتاج التفتيش
finding-number = النتيجة { $n }
finding-subject = الجهة
finding-kind = النوع
finding-kind-violation = مخالفة
finding-kind-shortcoming = قصور
finding-kind-good_practice = ممارسة جيدة
finding-severity = الجسامة
finding-regulation = اللائحة
finding-text = النتيجة
finding-repeat = تكرار للنتيجة { $id }
recommendation-number = التوصية { $n }
recommendation-finding = رقم النتيجة المتعلقة بها
recommendation-addressee = موجهة إلى
recommendation-text = التوصية
recommendation-due = الموعد
recommendation-owner = المسؤول
recommendation-evidence = الدليل
recommendation-status-open = مفتوحة
recommendation-status-done = أُبلغ عن تنفيذها
recommendation-status-verified = تم التحقق
recommendation-awaiting = بانتظار التحقق
recommendation-events = { $count ->
    [zero] لا خطوات متابعة
    [one] خطوة متابعة واحدة
    [two] خطوتا متابعة
    [few] { $count } خطوات متابعة
    [many] { $count } خطوة متابعة
   *[other] { $count } خطوة متابعة
}
recommendation-event-done = أُبلغ عن التنفيذ
recommendation-event-verified = تم التحقق
recommendation-event-rejected = رُفض الإبلاغ
recommendation-event-moved = نُقلت بسبب إعادة الهيكلة
recommendation-report-done = الإبلاغ عن التنفيذ
recommendation-verify = تحقق
recommendation-reject = رفض الإبلاغ
follow-up-title = متابعة التوصيات
follow-up-views = أي التوصيات
follow-up-view-due = لم تُغلق بعد
follow-up-view-overdue = متأخرة
follow-up-view-awaiting = بانتظار التحقق
follow-up-view-all = الكل
follow-up-none = لا توجد توصيات هنا.
follow-up-count = { $count ->
    [zero] لا توصيات
    [one] توصية واحدة
    [two] توصيتان
    [few] { $count } توصيات
    [many] { $count } توصية
   *[other] { $count } توصية
}
discipline-title = القضايا الانضباطية
discipline-none = لا توجد قضايا انضباطية هنا.
case-one = قضية انضباطية
case-against = ضد
case-against-member = عضو
case-against-unit = منظمة حزبية
case-target = رقم العضو أو رمز الوحدة
case-target-hint = رقم العضو (في صفحته)، أو رمز الوحدة.
case-member-measure = الإجراء بحق عضو
case-unit-measure = الإجراء بحق منظمة
case-body = الجهة المقررة
case-measure = الإجراء
case-annulled = ملغى
case-status-open = مفتوحة
case-status-issued = صدر القرار
case-opened = فُتحت في { $date }
case-open = فتح قضية
case-issue = إصدار القرار
case-issue-hint = القرار الصادر مقفل؛ الفصل ينهي العضوية من تاريخه.
case-appeal = تسجيل قرار التظلم
case-appeal-hint = تبت في التظلم الجهة الأعلى من آخر جهة قررت.
case-appeals = التظلمات
case-outcome = النتيجة
case-new-measure = الإجراء الجديد (عند التخفيف أو التشديد)
appeal-outcome-keep = أُبقي الإجراء
appeal-outcome-lighten = خُفف الإجراء
appeal-outcome-raise = شُدد الإجراء
appeal-outcome-annul = أُلغي الإجراء
coverage-title = تغطية التفتيش والإشراف
coverage-year = السنة
coverage-since = غير مشمولة منذ
coverage-counts = الوحدات حسب التغطية
coverage-inspected = خضعت للتفتيش
coverage-supervised = خضعت للإشراف
coverage-both = خضعت للتفتيش والإشراف
coverage-neither = لم تخضع لتفتيش ولا لإشراف
coverage-never = غير مشمولة منذ { $year }
coverage-last = آخر تغطية { $year }
coverage-truncated = لا تُعرض إلا الوحدات الأولى؛ افتح وحدة أدنى لترى جزءها.
print-back = رجوع
print-hint = اطبع هذه الصفحة من المتصفح (Ctrl+P).
print-dated = بتاريخ { $date }
print-decision-intro = تشكل جهة التفتيش فريقًا للقيام بالتفتيش أو الإشراف أدناه.
print-decision-team = الفريق:
print-decision-subjects = الجهات المعنية:
print-conclusion-intro = اختُتم في { $date }.
print-no-findings = لم تُسجل نتائج.
print-no-recommendations = لم تُقدم توصيات.
print-signed = عن جهة التفتيش
home-inspections-year = عمليات التفتيش والإشراف في { $year }
home-inspections-done = نُفذ { $done } من { $planned }
home-recommendations-open = توصيات لم تُغلق بعد
home-recommendations-overdue = توصيات متأخرة
home-recommendations-awaiting = توصيات بانتظار التحقق
audit-action-inspection_programme-load = تحميل برامج التفتيش دفعة واحدة
finding-repeat-of = تكرار للنتيجة رقم (إن وجدت)
audit-action-inspection-reschedule = تعديل موعد التفتيش أو فريقه
inspection-reschedule = نقل إلى فترة أو فريق جديد
inspection-team-kept = اتركه فارغًا للإبقاء على الفريق كما هو.
err-invalid_apportionment = تعذر توزيع المقاعد على النحو المطلوب.
err-invalid_count = تعذر فرز الأوراق بالمعطيات المقدمة.

## Congresses
nav-congress = المؤتمرات
congress-apportion-title = توزيع المندوبين
congress-apportion-hint = وزّع مندوبي المؤتمر على الوحدات التابعة بحسب أعضائها: من السجل (الوحدات التابعة لوحدة، محسوبة في تاريخ) أو من صفوف unit,members. يُعرض التعادل على المقاعد الأخيرة وتُترك تلك المقاعد ليقرر فيها شخص مخوّل.
congress-count-title = فرز جولة انتخاب
congress-count-hint = تُبقي الورقة الأسماء التي لم تُشطب، وتصح إذا لم تُبقِ أسماء أكثر من المقاعد. ينجح المرشح بأكثر من نصف الأساس؛ وإن نجح أكثر من عدد المقاعد فاز الأعلى أصواتًا؛ والتعادل على المقعد الأخير لا يُفوز أحدًا من المتعادلين.
congress-method = الطريقة
congress-method-hamilton = أكبر الباقي (هاملتون)
congress-method-dhondt = دونت
congress-method-sainte-lague = سانت لاغي
congress-method-huntington-hill = هنتنغتون-هيل
congress-method-ratio = قاعدة النسبة (عدد أساسي لكل وحدة ومقعد لكل N عضو)
congress-seats = المقاعد
congress-seats-hint = لا تُستعمل مع قاعدة النسبة، إذ يتحدد المجموع بعدد الأعضاء.
congress-min = الحد الأدنى لكل وحدة
congress-base-each = العدد الأساسي لكل وحدة
congress-per = الأعضاء لكل مقعد (قاعدة النسبة)
congress-ex-officio = المندوبون بحكم المنصب
congress-source = الوحدات وأعضاؤها
congress-source-unit = الوحدات التابعة للوحدة
congress-as-of = محسوبة في
congress-source-csv = أو صفوف unit,members
congress-apportion-go = وزّع المقاعد
congress-apportionment = التوزيع
congress-apportion-summary = وُزّع { $seats } مقعدًا بطريقة { $method }.
congress-apportion-min = بحد أدنى { $min } لكل وحدة.
congress-apportion-base = { $base } لكل وحدة أولًا.
congress-unit = الوحدة
congress-members = الأعضاء
congress-quota = الحصة
congress-decided = المقاعد المحسومة
congress-total = مجموع المندوبين
congress-no-tie = النتيجة وحيدة: حُسمت كل المقاعد.
congress-ties = تعادل: تُترك هذه المقاعد دون إسناد حتى يقرر فيها شخص مخوّل.
congress-tie = تتنافس { $units } على { $seats } مقعد.
congress-base = الأساس
congress-base-convened = المندوبون المدعوون
congress-base-present = المندوبون الحاضرون
congress-base-valid = الأوراق الصحيحة
congress-base-cast = الأوراق المقترعة
congress-issued = الأوراق الموزعة
congress-returned = الأوراق المستردة
congress-valid = الأوراق الصحيحة
congress-invalid = الأوراق الباطلة
congress-threshold = الأصوات اللازمة (أكثر من نصف الأساس)
congress-ballots = أوراق الاقتراع
congress-ballots-hint = يسمّي الصف الأول المرشحين، وكل صف بعده ورقة: 1 لاسم مُبقى، و0 أو فراغ لاسم مشطوب.
congress-tally = أو المجاميع لكل مرشح
congress-tally-rows = صفوف candidate,votes
congress-count-go = افرز
congress-minutes = محضر الفرز
congress-candidate = المرشح
congress-votes = الأصوات
congress-share = من الأساس
congress-passed = أكثر من النصف
congress-result = النتيجة
congress-yes = نعم
congress-no = لا
congress-elected-yes = فائز
congress-tied-yes = متعادل على المقعد الأخير
congress-elected = الفائزون
congress-tied = المتعادلون على المقعد الأخير (لا يفوز أحد منهم)
congress-none = لا أحد
congress-next-round = بقي { $seats } مقعد شاغرًا: جولة أخرى مع { $candidates }.
congress-list-outside = القائمة خارج قاعدة الزيادة: من { $least } إلى { $most } مرشحًا لهذه المقاعد.
err-invalid_number = رقم غير صحيح.
congress-schedule-title = مؤتمرات الدورة
congress-schedule-hint = مؤتمر كل وحدة في الدورة، من الأسفل إلى الأعلى: يأتي مؤتمر الوحدة بعد مؤتمرات الوحدات التابعة لها (بالمهلة التي يحددها الملف الشخصي)، وتأتي المؤتمرات النموذجية قبل غيرها من المستوى نفسه. تُسمّى كل مخالفة.
congress-term = الدورة
congress-tree-of = هيكل يوم
congress-schedule-go = اعرض
congress-timeline = الجدول الزمني
congress-schedule-summary = { $count } مؤتمر في الدورة { $term }؛ يأتي مؤتمر الوحدة بعد مؤتمرات الوحدات التابعة لها بـ { $margin } يوم على الأقل.
congress-schedule-holds = الجدول سليم: كل مؤتمر يأتي بعد مؤتمرات ما تحته، والمؤتمرات النموذجية أولًا.
congress-schedule-breaks = يخالف الجدول هذه القواعد:
congress-breach-before-child = تجتمع { $unit } في { $on }، قبل مرور { $margin } يوم على مؤتمر { $child } في { $child_on }.
congress-breach-child-without = ليس لـ { $child }، التابعة لـ { $unit } في { $on }، مؤتمر في الدورة.
congress-breach-pilot-not-first = تجتمع { $unit } في { $on }، لا بعد المؤتمر النموذجي لـ { $pilot } في { $pilot_on }.
congress-day = اليوم
congress-level = المستوى
congress-kind = النوع
congress-kind-members = مؤتمر الأعضاء
congress-kind-delegates = مؤتمر المندوبين
congress-status = الحالة
congress-status-planned = مخطط
congress-status-held = انعقد
congress-status-cancelled = أُلغي
congress-actions = تسجيل
congress-pilot = مؤتمر نموذجي
congress-number = الرقم
congress-number-of = الرقم { $number }
congress-held-on = انعقد في
congress-hold = سجّل الانعقاد
congress-reason = السبب
congress-cancel = ألغِ
congress-without = وحدات ليس لها مؤتمر في الدورة:
congress-plan-title = خطّط لمؤتمر
congress-planned-on = مخطط ليوم
congress-plan-go = خطّط
err-congress_not_found = لا يوجد هذا المؤتمر، أو هو خارج ما يحق لك رؤيته.
err-congress_exists = للوحدة مؤتمر في هذه الدورة بالفعل.
err-congress_not_planned = لا يُعدَّل أو يُسجَّل انعقاده أو يُلغى إلا مؤتمر مخطط.
err-term_overlaps = تتداخل الدورة مع دورة أخرى.
err-invalid_term = الدورة سنتان، الثانية بعد الأولى (2025-2030).
err-date_outside_term = التاريخ خارج الدورة.
err-held_in_future = لا يمكن تسجيل انعقاد مؤتمر بعد اليوم.
err-invalid_congress_kind = النوع ليس من أنواع المؤتمرات (الأعضاء، المندوبين).
err-invalid_congress_status = الحالة ليست من حالات المؤتمرات.
err-invalid_reason = اذكر سببًا، بألف حرف على الأكثر.
audit-action-congress-plan = خُطّط لمؤتمر
audit-action-congress-change = عُدّل مؤتمر
audit-action-congress-hold = سُجّل انعقاد مؤتمر
audit-action-congress-cancel = أُلغي مؤتمر
err-invalid_delegate = لا تُقرأ قائمة المندوبين كما أُدخلت.
audit-action-congress-delegates = سُجّلت قائمة مندوبي المؤتمر
congress-delegates = المندوبون
congress-delegates-hint = صفوف name,kind (elected: منتخب، ex_officio: بحكم المنصب، substitute: احتياطي) واختياريًا unit وattendance (convened: مدعو، present: حاضر، absent: غائب) وreplaces (رقم المندوب المنتخب الغائب الذي يحل الاحتياطي محله).
congress-delegates-go = سجّل القائمة
congress-delegate-kind-elected = منتخب
congress-delegate-kind-ex_officio = بحكم المنصب
congress-delegate-kind-substitute = احتياطي
congress-attendance = صفة العضوية
congress-attendance-convened = مدعو، لم يسجّل حضوره
congress-attendance-present = حاضر
congress-attendance-absent = غائب
congress-seated-for = يحل محل المندوب رقم { $number }
congress-credentials = التحقق من صفة المندوبين
congress-summoned = المدعوون
congress-absent = غائبون بلا بديل
congress-convened = المندوبون المدعوون
congress-present = الحاضرون
congress-substitutes = الاحتياطيون (الجالسون)
congress-no-delegates = لم يُسجَّل مندوبون.
congress-name = الاسم
congress-back = العودة إلى مؤتمرات الدورة
home-congresses = مؤتمرات الدورة { $term }
home-congresses-held = انعقدت
home-congresses-planned = مخططة
home-congresses-breaches = مخالفات الجدول
err-invalid_candidate = لا تُقرأ قائمة المرشحين كما أُدخلت.
err-invalid_election = يحتاج الانتخاب إلى ما يُنتخب وعدد مقاعد من 1 إلى 10٬000.
err-election_not_found = لا يوجد هذا الانتخاب، أو هو خارج ما يحق لك رؤيته.
err-round_not_found = لا توجد هذه الجولة في هذا الانتخاب.
err-round_closed = فُرزت أصوات هذه الجولة؛ لم يعد تغيير أصواتها ممكنًا.
err-round_empty = أدخل أوراق الجولة أو مجاميع أصواتها قبل فرزها.
err-round_entry = أُدخلت أصوات هذه الجولة مجاميعَ؛ استبدلها لإدخال الأوراق ورقةً ورقة.
err-list_not_ready = قائمة المرشحين لا تلتزم قاعدة الفائض، فلا تُطرح للتصويت.
err-election_voting = بدأ التصويت: تبقى قائمة المرشحين كما طُبعت في ورقة الاقتراع.
err-invalid_ballot = لا تُقرأ ورقة الاقتراع كما أُدخلت.
err-nothing_to_publish = لم تُفرز أي جولة بعد؛ افرز جولة قبل نشر النتائج.
err-results_not_published = لم تُنشر نتائج هذا الانتخاب بعد.
audit-action-congress-round = فُتحت جولة انتخاب
audit-action-congress-ballot = أُدخلت ورقة اقتراع
audit-action-congress-ballots = أُدخلت أوراق الاقتراع
audit-action-congress-tally = أُدخلت مجاميع الأصوات
audit-action-congress-count = فُرزت جولة انتخاب
audit-action-congress-publish = نُشرت نتائج الانتخاب
audit-action-congress-election = فُتح انتخاب في مؤتمر
audit-action-congress-candidates = سُجّلت قائمة المرشحين
congress-elections = الانتخابات
congress-no-elections = لم يُفتح انتخاب في هذا المؤتمر.
congress-election-title = ما يُنتخب
congress-election-go = افتح الانتخاب
congress-election-summary = { $seats } مقعد؛ { $candidates } على ورقة الاقتراع.
congress-nomination = الترشيح من
congress-nomination-list = اللجنة الداعية
congress-floor-enters = من القاعة: يؤيده { $support } من { $present } حاضرين، أكثر من النسبة اللازمة؛ يدخل القائمة
congress-floor-stays-out = من القاعة: يؤيده { $support } من { $present } حاضرين، لا أكثر من النسبة اللازمة؛ لا يدخل القائمة
congress-withdrawn = انسحب
congress-on-ballot = على ورقة الاقتراع
congress-list-within = القائمة ضمن قاعدة الفائض: { $candidates } مرشحًا، والمسموح من { $least } إلى { $most }.
congress-candidates = المرشحون
congress-candidates-hint = صفوف name واختياريًا nomination (list: اللجنة، floor: القاعة) وsupport (المندوبون المؤيدون لترشيح من القاعة) وwithdrawn (yes أو no).
congress-candidates-go = سجّل القائمة
congress-title = المؤتمر
congress-rounds = الجولات
congress-results = النتائج
congress-published-at = نُشرت في { $at }
congress-not-published = لم تُنشر
congress-round-open = الجولة { $number }: { $seats } مقعدًا، و{ $candidates } في ورقة الاقتراع؛ يجري إدخال الأصوات
congress-round-counted = الجولة { $number }: { $seats } مقعدًا، و{ $candidates } في ورقة الاقتراع؛ فُرزت
congress-entered-none = لم يُدخل أي صوت بعد.
congress-entered-ballots = أُدخلت { $count } ورقة.
congress-entered-tally = أُدخلت المجاميع: { $cast } ورقة مُعادة، منها { $valid } صحيحة.
congress-back-to-congress = العودة إلى المؤتمر
congress-round-open-go = افتح الجولة الأولى
congress-round-open-hint = تضم ورقة الاقتراع الأسماء المترشحة الآن؛ ومن ثم لا تتغير القائمة.
congress-no-rounds = لم تُفتح أي جولة بعد.
congress-ballot-on = في ورقة الاقتراع:
congress-ballot-one = أدخل ورقة اقتراع واحدة
congress-ballot-one-hint = أزل العلامة عن كل اسم شطبته الورقة؛ الورقة التي تُبقي أسماء أكثر من المقاعد تُعد باطلة.
congress-ballot-go = سجّل الورقة
congress-tally-go = سجّل المجاميع
congress-ballots-file = أو استبدل أوراق الجولة بصفوف
congress-ballots-go = سجّل الأوراق
congress-round-count-go = افرز الجولة
congress-round-count-hint = على أساس الملف التعريفي، بالمندوبين المدعوين والحاضرين المسجلين؛ وتُفتح جولة أخرى للمقاعد الباقية.
congress-publish-go = انشر النتائج
congress-publish-hint = سيقرأ بعدها كل من يطّلع على المؤتمر الجولاتِ المفروزة.
congress-minutes-of-round = محضر الفرز، الجولة { $number }
congress-minutes-signed = لجنة فرز الأصوات
congress-unfilled-left = بقي { $seats } مقعدًا شاغرًا، ولم يبق مرشح يعاد التصويت عليه.
congress-rounds-published = { $rounds } جولة؛ النتائج منشورة.
congress-rounds-so-far = { $rounds } جولة؛ النتائج لم تُنشر.
